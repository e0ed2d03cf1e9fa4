/*
 * Group processes through the fleetcore C ABI (SEMANTICS §2.4, §2.9, §2.10), with the generated
 * header only: a warm pool filled, stopped, used for a scale-out and deleted; an instance
 * refresh run to success, and one cancelled; suspending and resuming processes; and the
 * statuses of bad calls, each leaving the group's snapshot byte-for-byte unchanged. Built by
 * scripts/c-tests.sh with -std=c11 -Wall -Wextra -Werror -pedantic, run under ASan/UBSan
 * (staticlib) and Valgrind (cdylib). The last line of output is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

static const char *const TEMPLATE = "lt-0123456789abcdef0";
static const uint64_t T0 = 1711843200000u; /* 2024-03-31T00:00:00Z */
static const uint64_t MIN = 60000u;

static fc_group g;
static fc_group never_initialised;
static uint8_t before[65536];
static uint8_t after[65536];
static size_t before_len;

static void make(uint32_t min, uint32_t max, int64_t desired) {
    fc_group_config c;
    OK(fc_group_config_default(&c));
    c.min_size = min;
    c.max_size = max;
    c.desired_capacity = desired;
    c.zones = "a,b";
    c.template_id = TEMPLATE;
    c.template_version = 3;
    c.seed = 11;
    OK(fc_group_init(&g, &c));
}

/* The figures of the group (fc_group_get_info). */
static fc_group_info info_of(void) {
    fc_group_info i;
    memset(&i, 0xFF, sizeof i);
    OK(fc_group_get_info(&g, &i));
    return i;
}

/* One figure of the group, such as get(desired). */
#define get(field) (info_of().field)

/* Snapshots the group before a call that must fail and change nothing. */
static void save(void) { OK(fc_group_snapshot(&g, before, sizeof before, &before_len)); }

static int unchanged(void) {
    size_t n = 0;
    OK(fc_group_snapshot(&g, after, sizeof after, &n));
    return n == before_len && memcmp(before, after, n) == 0;
}

static fc_group_event event(uint32_t kind, const fc_instance_id *id) {
    fc_group_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.id = *id;
    return e;
}

/* Ticks at `now` and reports every action done at once: launches and starts boot, stops stop,
 * terminations terminate. Returns how many actions of `kind` there were (all kinds with 0). */
static size_t settle(uint64_t now, uint32_t kind) {
    fc_group_action a[16];
    size_t n = 999, i, seen = 0;
    OK(fc_group_tick(&g, now, a, 16, &n));
    for (i = 0; i < n; i++) {
        fc_group_event e;
        if (kind == 0 || a[i].kind == kind) {
            seen++;
        }
        switch (a[i].kind) {
        case FC_GROUP_ACTION_KIND_TERMINATE:
            e = event(FC_GROUP_EVENT_KIND_TERMINATED, &a[i].id);
            break;
        case FC_GROUP_ACTION_KIND_STOP:
            e = event(FC_GROUP_EVENT_KIND_EC2_STATE, &a[i].id);
            e.ec2_state = FC_INSTANCE_STATE_STOPPED;
            break;
        default:
            e = event(FC_GROUP_EVENT_KIND_BOOTED, &a[i].id);
            break;
        }
        OK(fc_group_observe(&g, now, &e));
    }
    return seen;
}

static uint32_t count_state(uint32_t state) {
    uint32_t n = get(member_count), i, k = 0;
    for (i = 0; i < n; i++) {
        fc_group_member m;
        OK(fc_group_member_at(&g, i, &m));
        k += m.state == state;
    }
    return k;
}

static void test_warm_pool(void) {
    fc_warm_pool p, back;
    bool has = true;
    uint64_t now = T0;

    make(0, 4, 1);
    settle(now, 0);
    CHECK(get(in_service) == 1);

    OK(fc_group_warm_pool(&g, &back, &has));
    CHECK(!has);
    CHECK(get(warm_pool_target) == 0);

    memset(&p, 0, sizeof p);
    p.min_size = 1;
    p.max_group_prepared_capacity = -1; /* the group's max size: 4 - desired 1 = 3 */
    p.pool_state = FC_POOL_STATE_STOPPED;
    OK(fc_group_put_warm_pool(&g, &p));
    OK(fc_group_warm_pool(&g, &back, &has));
    CHECK(has && back.min_size == 1 && back.max_group_prepared_capacity == -1 &&
          back.pool_state == FC_POOL_STATE_STOPPED && !back.reuse_on_scale_in);
    CHECK(get(warm_pool_target) == 3);

    /* The pool fills: three launches, booted, then stopped into Warmed:Stopped. */
    now += MIN;
    CHECK(settle(now, FC_GROUP_ACTION_KIND_LAUNCH) == 3);
    CHECK(get(warm_count) == 3);
    now += MIN;
    CHECK(settle(now, FC_GROUP_ACTION_KIND_STOP) == 3);
    CHECK(count_state(FC_MEMBER_STATE_WARMED_STOPPED) == 3);
    CHECK(get(in_service) == 1);

    /* A scale-out starts a warm member instead of launching one. */
    now += MIN;
    OK(fc_group_set_desired(&g, now, 2, false));
    {
        fc_group_action a[16];
        size_t n = 0, i, starts = 0, launches = 0;
        OK(fc_group_tick(&g, now, a, 16, &n));
        for (i = 0; i < n; i++) {
            starts += a[i].kind == FC_GROUP_ACTION_KIND_START;
            launches += a[i].kind == FC_GROUP_ACTION_KIND_LAUNCH;
            if (a[i].kind == FC_GROUP_ACTION_KIND_START) {
                fc_group_event e = event(FC_GROUP_EVENT_KIND_BOOTED, &a[i].id);
                OK(fc_group_observe(&g, now, &e));
            }
        }
        CHECK(starts == 1 && launches == 0);
    }
    now += MIN;
    settle(now, 0);
    CHECK(get(in_service) == 2);
    CHECK(get(warm_pool_target) == 2);

    /* Bad calls change nothing. */
    save();
    EXPECT(fc_group_put_warm_pool(NULL, &p), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_warm_pool(&g, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_warm_pool(&never_initialised, &p), FC_STATUS_UNINITIALIZED);
    p.pool_state = 3;
    EXPECT(fc_group_put_warm_pool(&g, &p), FC_STATUS_INVALID_ENUM_VALUE);
    p.pool_state = FC_POOL_STATE_RUNNING;
    p.max_group_prepared_capacity = -2;
    EXPECT(fc_group_put_warm_pool(&g, &p), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.max_group_prepared_capacity = 2;
    p.min_size = 3; /* above the prepared capacity */
    EXPECT(fc_group_put_warm_pool(&g, &p), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.min_size = FC_GROUP_MAX_MEMBERS + 1;
    p.max_group_prepared_capacity = -1;
    EXPECT(fc_group_put_warm_pool(&g, &p), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_warm_pool(&g, NULL, &has), FC_STATUS_NULL_ARGUMENT);
    CHECK(unchanged());
    {
        /* No warm pool on a mixed-instances group. */
        const fc_priced_type types[1] = {{"m5.large", 96000}};
        const fc_spot_pool pools[1] = {{0, 0, 35000, 10}};
        fc_override o[1] = {{0, 1}};
        fc_mixed_instances m;
        OK(fc_group_set_prices(&g, now, types, 1, pools, 1, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));
        OK(fc_mixed_instances_default(&m));
        m.overrides = o;
        m.override_count = 1;
        EXPECT(fc_group_set_mixed_instances(&g, &m), FC_STATUS_WARM_POOL_WITH_MIXED_INSTANCES);
    }
    save();
    EXPECT(fc_group_warm_pool(&g, &back, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_delete_warm_pool(&never_initialised, now), FC_STATUS_UNINITIALIZED);
    CHECK(unchanged());

    /* Deleting the pool terminates its members at the next tick. */
    OK(fc_group_delete_warm_pool(&g, now));
    OK(fc_group_warm_pool(&g, &back, &has));
    CHECK(!has);
    now += MIN;
    CHECK(settle(now, FC_GROUP_ACTION_KIND_TERMINATE) == 2);
    CHECK(get(warm_count) == 0);
    CHECK(get(in_service) == 2);
}

/* Refreshes until the refresh ends (or 60 rounds pass); returns its last state. */
static fc_instance_refresh run_refresh(uint64_t *now) {
    fc_instance_refresh r;
    bool has = false;
    int round;
    memset(&r, 0, sizeof r);
    for (round = 0; round < 60; round++) {
        *now += MIN;
        settle(*now, 0);
        OK(fc_group_instance_refresh(&g, &r, &has));
        if (!has || (r.status != FC_REFRESH_STATUS_IN_PROGRESS &&
                     r.status != FC_REFRESH_STATUS_PAUSED)) {
            break;
        }
    }
    return r;
}

static void test_instance_refresh(void) {
    fc_refresh_preferences p;
    fc_instance_refresh r;
    bool has = true;
    uint32_t id = 0;
    uint64_t now = T0;
    const uint8_t cps[2] = {50, 100};
    const uint8_t bad_cps[2] = {60, 40};
    fc_instance_id old[4];
    uint32_t i;

    make(0, 6, 4);
    settle(now, 0);
    CHECK(get(in_service) == 4);
    for (i = 0; i < 4; i++) {
        fc_group_member m;
        OK(fc_group_member_at(&g, i, &m));
        old[i] = m.id;
    }
    OK(fc_group_instance_refresh(&g, &r, &has));
    CHECK(!has);

    EXPECT(fc_refresh_preferences_default(NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_refresh_preferences_default(&p));
    CHECK(p.min_healthy_percentage == 90 && p.max_healthy_percentage == 100 &&
          p.instance_warmup_ms == -1 && p.checkpoint_count == 0 &&
          p.checkpoint_delay_ms == 3600000u && !p.skip_matching && p.desired_version == NULL);

    /* Bad preferences change nothing. */
    save();
    p.min_healthy_percentage = 101;
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.min_healthy_percentage = 50;
    p.max_healthy_percentage = 99;
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.max_healthy_percentage = 100;
    p.checkpoint_percentages = bad_cps;
    p.checkpoint_count = 2;
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.checkpoint_percentages = NULL;
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_NULL_ARGUMENT);
    p.checkpoint_count = FC_GROUP_MAX_CHECKPOINTS + 1;
    {
        uint8_t many[FC_GROUP_MAX_CHECKPOINTS + 1];
        for (i = 0; i <= FC_GROUP_MAX_CHECKPOINTS; i++) {
            many[i] = (uint8_t)(i + 1);
        }
        p.checkpoint_percentages = many;
        EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_GROUP_OUT_OF_RANGE);
    }
    p.checkpoint_percentages = NULL;
    p.checkpoint_count = 0;
    p.desired_version = "$Oldest";
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_INVALID_VERSION_SPEC);
    p.desired_version = "\xff\xfe";
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_NOT_UTF8);
    p.desired_version = "$Latest";
    p.instance_warmup_ms = -5;
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.instance_warmup_ms = 0;
    EXPECT(fc_group_start_instance_refresh(&g, now, NULL, &id), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_start_instance_refresh(&never_initialised, now, &p, &id),
           FC_STATUS_UNINITIALIZED);
    EXPECT(fc_group_cancel_instance_refresh(&g, now), FC_STATUS_NO_ACTIVE_REFRESH);
    CHECK(id == 0);
    CHECK(unchanged());

    /* A refresh to version 4 at 50 % min healthy, with a checkpoint at 50 % of 1 minute. */
    OK(fc_group_set_template_version(&g, 4));
    p.checkpoint_percentages = cps;
    p.checkpoint_count = 2;
    p.checkpoint_delay_ms = MIN;
    p.desired_version = "4";
    now += MIN; /* members launched at the very instant a refresh starts count as new */
    OK(fc_group_start_instance_refresh(&g, now, &p, &id));
    CHECK(id == 1);
    EXPECT(fc_group_start_instance_refresh(&g, now, &p, &id), FC_STATUS_REFRESH_IN_PROGRESS);
    OK(fc_group_instance_refresh(&g, &r, &has));
    CHECK(has && r.id == 1 && r.status == FC_REFRESH_STATUS_IN_PROGRESS && r.to_replace == 4 &&
          r.replaced == 0 && r.percentage_complete == 0 && r.started_ms == now &&
          r.ended_ms == -1);

    r = run_refresh(&now);
    CHECK(r.status == FC_REFRESH_STATUS_SUCCESSFUL);
    CHECK(r.replaced == 4 && r.percentage_complete == 100 && r.ended_ms > 0 &&
          r.checkpoints_done >= 1);
    CHECK(get(in_service) == 4);
    for (i = 0; i < get(member_count); i++) {
        fc_group_member m;
        uint32_t j;
        OK(fc_group_member_at(&g, i, &m));
        if (m.state != FC_MEMBER_STATE_IN_SERVICE) {
            continue;
        }
        CHECK(m.template_version == 4);
        for (j = 0; j < 4; j++) {
            CHECK(memcmp(&m.id, &old[j], sizeof m.id) != 0);
        }
    }

    /* A second refresh is number 2; cancelled, it ends at once. */
    OK(fc_refresh_preferences_default(&p));
    OK(fc_group_start_instance_refresh(&g, now, &p, &id));
    CHECK(id == 2);
    now += MIN;
    OK(fc_group_cancel_instance_refresh(&g, now));
    OK(fc_group_instance_refresh(&g, &r, &has));
    CHECK(has && r.id == 2 && r.status == FC_REFRESH_STATUS_CANCELLED &&
          r.ended_ms == (int64_t)now);
    EXPECT(fc_group_cancel_instance_refresh(&g, now), FC_STATUS_NO_ACTIVE_REFRESH);
    EXPECT(fc_group_instance_refresh(&g, NULL, &has), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_instance_refresh(&never_initialised, &r, &has), FC_STATUS_UNINITIALIZED);
}

static void test_suspend(void) {
    uint64_t now = T0;
    fc_group_action a[16];
    size_t n = 0;

    make(0, 4, 0);
    CHECK(get(suspended_processes) == 0);
    OK(fc_group_suspend_processes(&g, FC_PROCESS_LAUNCH | FC_PROCESS_AZ_REBALANCE));
    CHECK(get(suspended_processes) == (FC_PROCESS_LAUNCH | FC_PROCESS_AZ_REBALANCE));

    /* Launch suspended: desired 2 launches nothing. */
    OK(fc_group_set_desired(&g, now, 2, false));
    OK(fc_group_tick(&g, now, a, 16, &n));
    CHECK(n == 0);

    /* Bad masks change nothing. */
    save();
    EXPECT(fc_group_suspend_processes(&g, 1u << 8), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_resume_processes(&g, FC_PROCESS_LAUNCH | 0x100u),
           FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_suspend_processes(NULL, FC_PROCESS_LAUNCH), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_resume_processes(&never_initialised, FC_PROCESS_LAUNCH),
           FC_STATUS_UNINITIALIZED);
    CHECK(unchanged());
    CHECK(get(suspended_processes) == (FC_PROCESS_LAUNCH | FC_PROCESS_AZ_REBALANCE));

    /* Resumed, the launches come. */
    OK(fc_group_resume_processes(&g, FC_PROCESS_LAUNCH));
    CHECK(get(suspended_processes) == FC_PROCESS_AZ_REBALANCE);
    now += MIN;
    CHECK(settle(now, FC_GROUP_ACTION_KIND_LAUNCH) == 2);
    CHECK(get(in_service) == 2);

    /* Terminate suspended: scale-in waits. */
    OK(fc_group_suspend_processes(&g, FC_PROCESS_ALL));
    CHECK(get(suspended_processes) == FC_PROCESS_ALL);
    OK(fc_group_set_desired(&g, now, 0, false));
    now += MIN;
    OK(fc_group_tick(&g, now, a, 16, &n));
    CHECK(n == 0);
    OK(fc_group_resume_processes(&g, FC_PROCESS_ALL));
    CHECK(get(suspended_processes) == 0);
    now += MIN;
    CHECK(settle(now, FC_GROUP_ACTION_KIND_TERMINATE) == 2);
    CHECK(get(in_service) == 0);
}

/* The other way round: no warm pool for a group that has a mixed-instances policy. */
static void test_warm_pool_refused_on_mixed_group(void) {
    const fc_priced_type types[1] = {{"m5.large", 96000}};
    fc_override o[1] = {{0, 1}};
    fc_mixed_instances m;
    fc_warm_pool p;
    bool has = true;

    make(0, 4, 0);
    OK(fc_group_set_prices(&g, T0, types, 1, NULL, 0, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));
    OK(fc_mixed_instances_default(&m));
    m.overrides = o;
    m.override_count = 1;
    OK(fc_group_set_mixed_instances(&g, &m));
    memset(&p, 0, sizeof p);
    p.max_group_prepared_capacity = -1;
    save();
    EXPECT(fc_group_put_warm_pool(&g, &p), FC_STATUS_WARM_POOL_WITH_MIXED_INSTANCES);
    CHECK(unchanged());
    OK(fc_group_warm_pool(&g, &p, &has));
    CHECK(!has);
}

int main(void) {
    test_warm_pool();
    test_warm_pool_refused_on_mixed_group();
    test_instance_refresh();
    test_suspend();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
