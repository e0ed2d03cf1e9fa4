/*
 * The fleetcore C ABI for Auto Scaling groups through the generated header: every fc_group_*
 * function, each of its error paths (NULL, bad enum values, short buffers, text that is not
 * UTF-8, core errors). Built by scripts/c-tests.sh with
 * -std=c11 -Wall -Wextra -Werror -pedantic, run under ASan/UBSan (staticlib) and Valgrind
 * (cdylib).
 *
 * The golden run that was here is now golden/group_run.txt, played by test_golden.c. The last
 * line of output is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

static const char *const TEMPLATE = "lt-0123456789abcdef0";
static const uint64_t T0 = 1711843200000u; /* 2024-03-31T00:00:00Z */

_Static_assert(sizeof(fc_group) == FC_GROUP_SIZE, "fc_group is FC_GROUP_SIZE bytes");
_Static_assert(_Alignof(fc_group) == 8, "fc_group is 8-byte aligned");

static fc_group g;
static fc_group other;
static fc_group never_initialised;
static uint8_t snapshot[65536];

/* A group of min..max in zones a,b, desired -1 (= min) unless given. */
static fc_status make(fc_group *group, uint32_t min, uint32_t max, int64_t desired) {
    fc_group_config c;
    fc_status s = fc_group_config_default(&c);
    if (s != FC_STATUS_OK) {
        return s;
    }
    c.min_size = min;
    c.max_size = max;
    c.desired_capacity = desired;
    c.zones = "a, b";
    c.template_id = TEMPLATE;
    c.template_version = 3;
    c.seed = 42;
    return fc_group_init(group, &c);
}

/* The figures of `group` (fc_group_get_info). */
static fc_group_info info_of(const fc_group *group) {
    fc_group_info i;
    memset(&i, 0xFF, sizeof i);
    OK(fc_group_get_info(group, &i));
    return i;
}

/* One figure of `group`, such as get(desired, &g). */
#define get(field, group) (info_of(group).field)

/* fc_group_get_info's deadline, as the getter it replaced: the status, then *has and (only
 * when there is one) *at. */
static fc_status next_deadline(const fc_group *group, uint64_t *at, bool *has) {
    fc_group_info i;
    fc_status s = fc_group_get_info(group, &i);
    if (s == FC_STATUS_OK) {
        if (i.has_deadline) {
            *at = i.next_deadline_ms;
        }
        *has = i.has_deadline;
    }
    return s;
}

/* Ticks once with room for 16 and returns the count. */
static size_t tick(fc_group *group, uint64_t now, fc_group_action *out) {
    size_t n = 999;
    OK(fc_group_tick(group, now, out, 16, &n));
    return n;
}

static fc_group_event event(uint32_t kind, const fc_instance_id *id) {
    fc_group_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.id = *id;
    return e;
}

/* Ticks and boots every launch at `now`. */
static void settle(fc_group *group, uint64_t now) {
    fc_group_action a[16];
    size_t n = tick(group, now, a);
    size_t i;
    for (i = 0; i < n; i++) {
        fc_group_event e = event(a[i].kind == FC_GROUP_ACTION_KIND_TERMINATE
                                     ? FC_GROUP_EVENT_KIND_TERMINATED
                                     : FC_GROUP_EVENT_KIND_BOOTED,
                                 &a[i].id);
        OK(fc_group_observe(group, now, &e));
    }
}

static fc_instance_id member_id(const fc_group *group, uint32_t index) {
    fc_group_member m;
    memset(&m, 0, sizeof m);
    OK(fc_group_member_at(group, index, &m));
    return m.id;
}

static void test_statuses(void) {
    CHECK(FC_STATUS_DESIRED_OUT_OF_RANGE == 1100 && FC_STATUS_TOO_MANY_ALARMS == 1130);
    CHECK(FC_STATUS_INVALID_PERIOD == 1200 && FC_STATUS_INVALID_TIME_ZONE == 1209);
    CHECK(FC_STATUS_NOT_EXECUTABLE == 1211 && FC_STATUS_INVALID_TARGET_TRACKING == 1214);
    CHECK(FC_STATUS_SNAPSHOT_BUFFER_TOO_SMALL == 1600 && FC_STATUS_SNAPSHOT_ENCODING == 1609);
    CHECK(FC_STATUS_INDEX_OUT_OF_RANGE == 9);
    CHECK(strcmp(status_text(FC_STATUS_IN_COOLDOWN),
                 "scaling activity in progress: the group is in cooldown and HonorCooldown is "
                 "set") == 0);
    CHECK(strcmp(status_text(1210), "unknown status") == 0);
    CHECK(strcmp(status_text(FC_STATUS_SNAPSHOT_CHECKSUM),
                 "snapshot checksum does not match: the data is corrupted") == 0);
}

static void test_init(void) {
    fc_group_config c;
    const char *zones[3] = {"rack-1", "rack-2", "rack-3"};
    const char *bad_zones[2] = {"rack-1", NULL};
    uint32_t policies[2] = {FC_TERMINATION_POLICY_OLDEST_INSTANCE, FC_TERMINATION_POLICY_DEFAULT};
    char name[FC_GROUP_ZONE_NAME_MAX + 1];
    size_t n = 0;

    EXPECT(fc_group_config_default(NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_config_default(&c));
    CHECK(c.desired_capacity == -1 && c.default_cooldown_ms == -1 && c.template_version == 1);

    /* A zone list and termination policies. */
    c.min_size = 2;
    c.max_size = FC_GROUP_MAX_MEMBERS;
    c.zone_list = zones;
    c.zone_count = 3;
    c.template_id = TEMPLATE;
    c.termination_policies = policies;
    c.termination_policy_count = 2;
    OK(fc_group_init(&g, &c));
    CHECK(get(desired, &g) == 2 && get(min_size, &g) == 2);
    CHECK(get(max_size, &g) == FC_GROUP_MAX_MEMBERS);
    OK(fc_group_zone_name(&g, 2, name, sizeof name, &n));
    CHECK(n == 6 && strcmp(name, "rack-3") == 0);
    EXPECT(fc_group_zone_name(&g, 3, name, sizeof name, &n), FC_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT(fc_group_zone_name(&g, 0, name, 6, &n), FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_group_zone_name(&g, 0, NULL, 6, &n), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_zone_name(&g, 0, name, sizeof name, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_zone_name(&never_initialised, 0, name, sizeof name, &n),
           FC_STATUS_UNINITIALIZED);

    /* Every way a configuration can be wrong; the storage keeps the group it had. */
    EXPECT(fc_group_init(NULL, &c), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_init(&other, NULL), FC_STATUS_NULL_ARGUMENT);
    c.zones = "a";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ZONES); /* both forms */
    c.zones = NULL;
    c.zone_count = 0;
    c.zone_list = NULL;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ZONES); /* neither */
    c.zone_list = bad_zones;
    c.zone_count = 2;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_NULL_ARGUMENT);
    c.zone_list = NULL;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_NULL_ARGUMENT); /* NULL list with a count */
    c.zone_count = 0;
    c.zones = "a,a";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ZONES);
    c.zones = "a,,b";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ZONES);
    c.zones = "1,2,3,4,5,6,7,8,9";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ZONES);
    c.zones = "zone-\xff";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_NOT_UTF8);
    c.zones = "a,b";
    c.template_id = NULL;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_NULL_ARGUMENT);
    c.template_id = "i-0123456789abcdef0";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_ID_WRONG_PREFIX);
    c.template_id = "lt-0123";
    EXPECT(fc_group_init(&g, &c), FC_STATUS_ID_BAD_LENGTH);
    c.template_id = TEMPLATE;
    policies[0] = 77;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_ENUM_VALUE);
    policies[0] = FC_TERMINATION_POLICY_DEFAULT;
    policies[1] = FC_TERMINATION_POLICY_NEWEST_INSTANCE;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_INVALID_TERMINATION_POLICIES);
    c.termination_policy_count = 0;
    c.max_size = 1;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_MAX_BELOW_MIN);
    c.max_size = FC_GROUP_MAX_MEMBERS + 1;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_MAX_ABOVE_CAPACITY);
    c.max_size = 4;
    c.desired_capacity = 5;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_DESIRED_OUT_OF_RANGE);
    c.desired_capacity = -2;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_GROUP_OUT_OF_RANGE);
    c.desired_capacity = -1;
    c.max_instance_lifetime_ms = 1000;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_GROUP_OUT_OF_RANGE);
    c.max_instance_lifetime_ms = -1;
    c.default_instance_warmup_ms = 3600001;
    EXPECT(fc_group_init(&g, &c), FC_STATUS_GROUP_OUT_OF_RANGE);
    CHECK(get(max_size, &g) == FC_GROUP_MAX_MEMBERS);

    /* fc_group_get_info refuses NULL and storage fc_group_init never saw, writing nothing. */
    {
        fc_group_info v;
        memset(&v, 7, sizeof v);
        EXPECT(fc_group_get_info(NULL, &v), FC_STATUS_NULL_ARGUMENT);
        EXPECT(fc_group_get_info(&g, NULL), FC_STATUS_NULL_ARGUMENT);
        EXPECT(fc_group_get_info(&never_initialised, &v), FC_STATUS_UNINITIALIZED);
        CHECK(v.desired == 0x07070707u && v.member_count == 0x07070707u);
    }
}

static void test_sizes_and_tick(void) {
    fc_group_action a[16];
    fc_group_action one;
    fc_group_member m;
    char text[FC_GROUP_ACTION_TEXT_SIZE];
    size_t n = 0;
    uint64_t at = 0;
    bool has = true;
    int i;

    OK(make(&g, 0, 8, 5));
    /* Five launches: a buffer of 2 gets two, the rest stay owed and come next time. */
    OK(fc_group_tick(&g, T0, a, 2, &n));
    CHECK(n == 2);
    OK(next_deadline(&g, &at, &has));
    CHECK(has && at == T0);
    OK(fc_group_tick(&g, T0, a + 2, 14, &n));
    CHECK(n == 3);
    CHECK(get(capacity, &g) == 5 && get(member_count, &g) == 5);
    CHECK(a[0].kind == FC_GROUP_ACTION_KIND_LAUNCH && a[0].zone == 0 && a[1].zone == 1);
    CHECK(a[0].version == 3 && a[0].template_id.len == 17);
    /* Without a mixed-instances policy every launch is On-Demand of price-table type 0. */
    CHECK(a[0].market == FC_MARKET_ON_DEMAND && a[0].instance_type == 0);
    OK(fc_group_action_format(&a[0], text, sizeof text, &n));
    CHECK(strncmp(text, "launch i-", 9) == 0 && n == strlen(text));
    CHECK(strstr(text, " in zone 0 from lt-0123456789abcdef0 version 3") != NULL);
    EXPECT(fc_group_action_format(&a[0], text, 20, &n), FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_group_action_format(NULL, text, sizeof text, &n), FC_STATUS_NULL_ARGUMENT);
    one = a[0];
    one.kind = 42;
    EXPECT(fc_group_action_format(&one, text, sizeof text, &n), FC_STATUS_INVALID_ENUM_VALUE);
    one = a[0];
    one.template_id.digits[0] = 'Z';
    EXPECT(fc_group_action_format(&one, text, sizeof text, &n), FC_STATUS_ID_NOT_HEX);
    one.kind = FC_GROUP_ACTION_KIND_NOTIFY_HOOK;
    one.transition = 9;
    EXPECT(fc_group_action_format(&one, text, sizeof text, &n), FC_STATUS_INVALID_ENUM_VALUE);
    one.transition = FC_HOOK_TRANSITION_TERMINATING;
    one.hook = 1;
    OK(fc_group_action_format(&one, text, sizeof text, &n));
    CHECK(strstr(text, "notify hook 1 (autoscaling:EC2_INSTANCE_TERMINATING) for i-") == text);

    /* Tick arguments. */
    n = 77;
    EXPECT(fc_group_tick(&g, T0, a, 0, &n), FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_group_tick(&g, T0, NULL, 4, &n), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_tick(&g, T0, a, 4, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_tick(NULL, T0, a, 4, &n), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_tick(&never_initialised, T0, a, 4, &n), FC_STATUS_UNINITIALIZED);
    CHECK(n == 77);

    /* Boot them: in service; nothing more is due. */
    for (i = 0; i < 5; i++) {
        fc_group_event e = event(FC_GROUP_EVENT_KIND_BOOTED, &a[i].id);
        OK(fc_group_observe(&g, T0 + 1000, &e));
    }
    CHECK(get(in_service, &g) == 5);
    OK(fc_group_member_at(&g, 0, &m));
    CHECK(m.state == FC_MEMBER_STATE_IN_SERVICE && m.ec2_state == FC_INSTANCE_STATE_RUNNING);
    CHECK(m.healthy && !m.scale_in_protected && m.template_version == 3);
    CHECK(m.launched_at_ms == T0 && m.in_service_at_ms == (int64_t)(T0 + 1000));
    CHECK(memcmp(&m.id, &a[0].id, sizeof m.id) == 0);
    CHECK(m.market == FC_MARKET_ON_DEMAND && m.instance_type == 0 && m.weight == 1);
    CHECK(m.spot_signal == FC_SPOT_SIGNAL_NONE && !m.has_replaces);
    EXPECT(fc_group_member_at(&g, 5, &m), FC_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT(fc_group_member_at(&g, 0, NULL), FC_STATUS_NULL_ARGUMENT);
    has = true;
    at = 5;
    OK(next_deadline(&g, &at, &has));
    CHECK(!has && at == 5);
    EXPECT(next_deadline(&never_initialised, &at, &has), FC_STATUS_UNINITIALIZED);

    /* Set desired and update sizes: scale in picks from the larger zone. */
    EXPECT(fc_group_set_desired(&g, T0 + 2000, 9, false), FC_STATUS_DESIRED_ABOVE_MAX);
    OK(fc_group_update_size(&g, 2, -1, -1));
    EXPECT(fc_group_set_desired(&g, T0 + 2000, 1, false), FC_STATUS_DESIRED_BELOW_MIN);
    EXPECT(fc_group_set_desired(NULL, T0, 1, false), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_set_desired(&g, T0 + 2000, 4, true));
    n = tick(&g, T0 + 3000, a);
    CHECK(n == 1 && a[0].kind == FC_GROUP_ACTION_KIND_TERMINATE && get(capacity, &g) == 4);
    {
        fc_group_event e = event(FC_GROUP_EVENT_KIND_TERMINATED, &a[0].id);
        OK(fc_group_observe(&g, T0 + 3000, &e));
    }
    CHECK(get(member_count, &g) == 4);
    EXPECT(fc_group_update_size(&g, 5, 3, -1), FC_STATUS_MAX_BELOW_MIN);
    EXPECT(fc_group_update_size(&g, -1, 99, -1), FC_STATUS_MAX_ABOVE_CAPACITY);
    EXPECT(fc_group_update_size(&g, -1, -1, 9), FC_STATUS_DESIRED_OUT_OF_RANGE);
    EXPECT(fc_group_update_size(&g, -5, -1, -1), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_update_size(&g, 0x100000000LL, -1, -1), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_update_size(&never_initialised, 1, 2, -1), FC_STATUS_UNINITIALIZED);
    CHECK(get(min_size, &g) == 2 && get(max_size, &g) == 8);
    OK(fc_group_update_size(&g, -1, 3, -1));
    CHECK(get(desired, &g) == 3);

    /* Template version 0 resolves to nothing: the launch fails and is retried in 10 s. */
    OK(make(&g, 1, 2, -1));
    OK(fc_group_set_template_version(&g, 0));
    EXPECT(fc_group_set_template_version(NULL, 1), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_set_template_version(&never_initialised, 1), FC_STATUS_UNINITIALIZED);
    CHECK(tick(&g, T0, a) == 0 && get(capacity, &g) == 0);
    OK(next_deadline(&g, &at, &has));
    CHECK(has && at == T0 + 10000);
    OK(fc_group_set_template_version(&g, 7));
    CHECK(tick(&g, T0 + 10000, a) == 1 && a[0].version == 7);
}

static void test_observe_and_hooks(void) {
    fc_group_action a[16];
    fc_group_event e;
    fc_instance_id id;
    fc_instance_id stranger;
    uint8_t hook = 99;
    uint8_t hook2 = 99;
    size_t n;

    OK(make(&g, 1, 4, -1));
    OK(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_LAUNCHING, 60000, FC_HOOK_RESULT_ABANDON,
                                   &hook));
    CHECK(hook == 0);
    EXPECT(fc_group_put_lifecycle_hook(&g, 0, 60000, FC_HOOK_RESULT_ABANDON, &hook2),
           FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_LAUNCHING, 60000, 3, &hook2),
           FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_LAUNCHING, 1000,
                                       FC_HOOK_RESULT_CONTINUE, &hook2),
           FC_STATUS_HEARTBEAT_OUT_OF_RANGE);
    EXPECT(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_LAUNCHING, 60000,
                                       FC_HOOK_RESULT_CONTINUE, NULL),
           FC_STATUS_NULL_ARGUMENT);
    CHECK(hook2 == 99);
    {
        int i;
        uint8_t h = 0;
        OK(make(&other, 0, 1, -1));
        for (i = 0; i < FC_GROUP_MAX_HOOKS; i++) {
            OK(fc_group_put_lifecycle_hook(&other, FC_HOOK_TRANSITION_TERMINATING, 60000,
                                           FC_HOOK_RESULT_CONTINUE, &h));
        }
        CHECK(h == FC_GROUP_MAX_HOOKS - 1);
        EXPECT(fc_group_put_lifecycle_hook(&other, FC_HOOK_TRANSITION_TERMINATING, 60000,
                                           FC_HOOK_RESULT_CONTINUE, &h),
               FC_STATUS_TOO_MANY_HOOKS);
        EXPECT(fc_group_put_lifecycle_hook(&never_initialised, FC_HOOK_TRANSITION_TERMINATING,
                                           60000, FC_HOOK_RESULT_CONTINUE, &h),
               FC_STATUS_UNINITIALIZED);
    }

    n = tick(&g, T0, a);
    CHECK(n == 1);
    id = a[0].id;
    e = event(FC_GROUP_EVENT_KIND_BOOTED, &id);
    OK(fc_group_observe(&g, T0 + 1000, &e));
    /* Booted with a launching hook: the member waits and the hook is notified. */
    n = tick(&g, T0 + 1000, a);
    CHECK(n == 1 && a[0].kind == FC_GROUP_ACTION_KIND_NOTIFY_HOOK && a[0].hook == 0);
    CHECK(a[0].transition == FC_HOOK_TRANSITION_LAUNCHING);
    CHECK(get(in_service, &g) == 0);

    e = event(FC_GROUP_EVENT_KIND_HOOK_HEARTBEAT, &id);
    OK(fc_group_observe(&g, T0 + 2000, &e));
    e.hook = 5;
    EXPECT(fc_group_observe(&g, T0 + 2000, &e), FC_STATUS_UNKNOWN_HOOK);
    e = event(FC_GROUP_EVENT_KIND_HOOK_COMPLETED, &id);
    e.hook_result = 0;
    EXPECT(fc_group_observe(&g, T0 + 3000, &e), FC_STATUS_INVALID_ENUM_VALUE);
    e.hook_result = FC_HOOK_RESULT_CONTINUE;
    OK(fc_group_observe(&g, T0 + 3000, &e));
    CHECK(get(in_service, &g) == 1);
    EXPECT(fc_group_observe(&g, T0 + 3000, &e), FC_STATUS_NOT_WAITING);

    /* Bad events change nothing. */
    e = event(0, &id);
    EXPECT(fc_group_observe(&g, T0, &e), FC_STATUS_INVALID_ENUM_VALUE);
    e = event(FC_GROUP_EVENT_KIND_EC2_STATE, &id);
    e.ec2_state = 7;
    EXPECT(fc_group_observe(&g, T0, &e), FC_STATUS_INVALID_STATE_CODE);
    e = event(FC_GROUP_EVENT_KIND_UNHEALTHY, &id);
    e.health_source = 0;
    EXPECT(fc_group_observe(&g, T0, &e), FC_STATUS_INVALID_ENUM_VALUE);
    OK(fc_instance_id_parse("i-0000000000000000f", &stranger));
    e = event(FC_GROUP_EVENT_KIND_BOOTED, &stranger);
    EXPECT(fc_group_observe(&g, T0, &e), FC_STATUS_UNKNOWN_MEMBER);
    e.id.len = 3;
    EXPECT(fc_group_observe(&g, T0, &e), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_group_observe(&g, T0, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_observe(NULL, T0, &e), FC_STATUS_NULL_ARGUMENT);
    CHECK(get(in_service, &g) == 1);

    /* A load balancer says unhealthy: replaced (the old member's terminate comes first, in
     * member order, then the replacement's launch). */
    e = event(FC_GROUP_EVENT_KIND_UNHEALTHY, &id);
    e.health_source = FC_HEALTH_SOURCE_LOAD_BALANCER;
    OK(fc_group_observe(&g, T0 + 4000, &e));
    n = tick(&g, T0 + 4000, a);
    CHECK(n == 2 && a[1].kind == FC_GROUP_ACTION_KIND_LAUNCH);
    CHECK(a[0].kind == FC_GROUP_ACTION_KIND_TERMINATE && memcmp(&a[0].id, &id, sizeof id) == 0);
    /* The replacement's launch fails; EC2 then reports the old one stopping, and gone. */
    e = event(FC_GROUP_EVENT_KIND_LAUNCH_FAILED, &a[1].id);
    OK(fc_group_observe(&g, T0 + 5000, &e));
    e = event(FC_GROUP_EVENT_KIND_EC2_STATE, &id);
    e.ec2_state = FC_INSTANCE_STATE_SHUTTING_DOWN;
    OK(fc_group_observe(&g, T0 + 5000, &e));
    e = event(FC_GROUP_EVENT_KIND_TERMINATED, &id);
    OK(fc_group_observe(&g, T0 + 6000, &e));
    CHECK(get(member_count, &g) == 0);
}

static void test_standby_protection_attach(void) {
    fc_group_action a[16];
    fc_instance_id ids[FC_GROUP_MAX_PROTECTION_IDS + 1];
    fc_instance_id x;
    fc_group_member m;
    uint8_t zones[2] = {1, 0};
    int i;

    OK(make(&g, 1, 6, 3));
    settle(&g, T0);
    for (i = 0; i < 3; i++) {
        ids[i] = member_id(&g, (uint32_t)i);
    }
    OK(fc_group_enter_standby(&g, T0 + 1000, ids, 1, true));
    CHECK(get(desired, &g) == 2 && get(in_service, &g) == 2);
    OK(fc_group_member_at(&g, 0, &m));
    CHECK(m.state == FC_MEMBER_STATE_STANDBY);
    EXPECT(fc_group_enter_standby(&g, T0, ids, 1, true), FC_STATUS_WRONG_MEMBER_STATE);
    EXPECT(fc_group_enter_standby(&g, T0, ids + 1, 2, true), FC_STATUS_BELOW_MIN);
    EXPECT(fc_group_enter_standby(&g, T0, NULL, 1, true), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_enter_standby(&g, T0, ids, FC_GROUP_MAX_IDS_PER_CALL + 1, true),
           FC_STATUS_TOO_MANY_IDS);
    EXPECT(fc_group_enter_standby(&never_initialised, T0, ids, 1, true), FC_STATUS_UNINITIALIZED);
    OK(fc_group_exit_standby(&g, T0 + 2000, ids, 1));
    CHECK(get(desired, &g) == 3 && get(in_service, &g) == 3);
    EXPECT(fc_group_exit_standby(&g, T0, ids, 1), FC_STATUS_WRONG_MEMBER_STATE);
    EXPECT(fc_group_exit_standby(NULL, T0, ids, 1), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_exit_standby(&g, T0, NULL, 0)); /* nothing to do */

    /* Protection: protected members are skipped on scale-in. */
    OK(fc_group_set_protection(&g, ids, 2, true));
    OK(fc_group_member_at(&g, 1, &m));
    CHECK(m.scale_in_protected);
    OK(fc_group_set_desired(&g, T0 + 3000, 2, false));
    CHECK(tick(&g, T0 + 3000, a) == 1 && memcmp(&a[0].id, &ids[2], sizeof x) == 0);
    {
        fc_group_event e = event(FC_GROUP_EVENT_KIND_TERMINATED, &a[0].id);
        OK(fc_group_observe(&g, T0 + 3000, &e));
    }
    for (i = 0; i <= FC_GROUP_MAX_PROTECTION_IDS; i++) {
        ids[i] = ids[0];
    }
    EXPECT(fc_group_set_protection(&g, ids, FC_GROUP_MAX_PROTECTION_IDS + 1, true),
           FC_STATUS_TOO_MANY_IDS);
    OK(fc_instance_id_parse("i-0000000000000000f", &x));
    ids[1] = x;
    EXPECT(fc_group_set_protection(&g, ids, 2, false), FC_STATUS_UNKNOWN_MEMBER);
    EXPECT(fc_group_set_protection(NULL, ids, 1, false), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_member_at(&g, 0, &m));
    CHECK(m.scale_in_protected);

    /* Health. */
    EXPECT(fc_group_set_health(&g, T0, &x, false, false), FC_STATUS_UNKNOWN_MEMBER);
    EXPECT(fc_group_set_health(&g, T0, NULL, false, false), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_set_health(&g, T0 + 4000, &ids[0], false, false));
    OK(fc_group_member_at(&g, 0, &m));
    CHECK(!m.healthy);
    OK(fc_group_set_health(&g, T0 + 4000, &ids[0], true, false));
    OK(fc_group_member_at(&g, 0, &m));
    CHECK(m.healthy);

    /* Detach and attach. */
    OK(fc_group_detach(&g, T0 + 5000, ids, 1, true));
    CHECK(get(member_count, &g) == 1 && get(desired, &g) == 1);
    EXPECT(fc_group_detach(&g, T0, ids, 1, true), FC_STATUS_UNKNOWN_MEMBER);
    EXPECT(fc_group_detach(NULL, T0, ids, 1, true), FC_STATUS_NULL_ARGUMENT);
    ids[1] = x;
    OK(fc_group_attach(&g, T0 + 6000, ids, zones, 2));
    CHECK(get(member_count, &g) == 3 && get(desired, &g) == 3);
    OK(fc_group_member_at(&g, 2, &m));
    CHECK(m.zone == 0 && m.template_version == 0 && m.state == FC_MEMBER_STATE_IN_SERVICE);
    EXPECT(fc_group_attach(&g, T0, ids, zones, 1), FC_STATUS_ALREADY_MEMBER);
    OK(fc_instance_id_parse("i-0000000000000000e", &ids[0]));
    zones[0] = 2;
    EXPECT(fc_group_attach(&g, T0, ids, zones, 1), FC_STATUS_INVALID_ZONES);
    zones[0] = 0;
    EXPECT(fc_group_attach(&g, T0, ids, NULL, 1), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_update_size(&g, -1, 3, -1));
    EXPECT(fc_group_attach(&g, T0, ids, zones, 1), FC_STATUS_ABOVE_MAX);
    CHECK(get(member_count, &g) == 3);
}

static void test_metrics_alarms_policies(void) {
    fc_group_action a[16];
    fc_alarm_config alarm;
    fc_simple_policy simple;
    fc_step_adjustment steps[FC_GROUP_MAX_STEPS + 1];
    fc_step_policy step;
    fc_target_tracking_policy tt;
    fc_executed ex;
    fc_instance_id id;
    fc_instance_id stranger;
    uint8_t cpu = 99, queue = 99, index = 99, policy = 99, alarm_index = 99;
    uint32_t state = 0, reporting = 0;
    int i;

    OK(make(&g, 1, 10, 2));
    settle(&g, T0);
    id = member_id(&g, 0);

    /* Metrics. */
    OK(fc_group_put_metric(&g, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &cpu));
    OK(fc_group_put_metric(&g, "queue", 60000, FC_METRIC_SOURCE_GROUP, &queue));
    CHECK(cpu == 0 && queue == 1);
    EXPECT(fc_group_put_metric(&g, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &index),
           FC_STATUS_DUPLICATE_METRIC);
    EXPECT(fc_group_put_metric(&g, "x", 45000, FC_METRIC_SOURCE_GROUP, &index),
           FC_STATUS_INVALID_PERIOD);
    EXPECT(fc_group_put_metric(&g, "x", 60000, 0, &index), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_put_metric(&g, "", 60000, FC_METRIC_SOURCE_GROUP, &index),
           FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_put_metric(&g, "\xc3", 60000, FC_METRIC_SOURCE_GROUP, &index),
           FC_STATUS_NOT_UTF8);
    EXPECT(fc_group_put_metric(&g, NULL, 60000, FC_METRIC_SOURCE_GROUP, &index),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_metric(&g, "x", 60000, FC_METRIC_SOURCE_GROUP, NULL),
           FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_put_metric(&g, "x", 60000, FC_METRIC_SOURCE_GROUP, &index));
    OK(fc_group_put_metric(&g, "y", 60000, FC_METRIC_SOURCE_GROUP, &index));
    EXPECT(fc_group_put_metric(&g, "z", 60000, FC_METRIC_SOURCE_GROUP, &index),
           FC_STATUS_TOO_MANY_METRICS);
    CHECK(index == 3);

    /* Samples. */
    OK(fc_group_record(&g, T0 + 30000, cpu, &id, 50000));
    OK(fc_group_record(&g, T0 + 30000, queue, NULL, 7000));
    EXPECT(fc_group_record(&g, T0, cpu, NULL, 1), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_record(&g, T0, queue, &id, 1), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_record(&g, T0, 9, NULL, 1), FC_STATUS_UNKNOWN_METRIC);
    OK(fc_instance_id_parse("i-0000000000000000f", &stranger));
    EXPECT(fc_group_record(&g, T0, cpu, &stranger, 1), FC_STATUS_UNKNOWN_MEMBER);
    EXPECT(fc_group_record(NULL, T0, cpu, &id, 1), FC_STATUS_NULL_ARGUMENT);
    for (i = 0; i < 25; i++) {
        OK(fc_group_record(&g, T0 + 60000 * (uint64_t)(i + 2), queue, NULL, 1));
    }
    EXPECT(fc_group_record(&g, T0, queue, NULL, 1), FC_STATUS_SAMPLE_TOO_OLD);
    OK(fc_group_record_in_service(&g, T0 + 90000, cpu, 40000, &reporting));
    CHECK(reporting == 2);
    reporting = 77;
    EXPECT(fc_group_record_in_service(&g, T0, queue, 1, &reporting), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_record_in_service(&g, T0, 9, 1, &reporting), FC_STATUS_UNKNOWN_METRIC);
    EXPECT(fc_group_record_in_service(&g, T0, cpu, 1, NULL), FC_STATUS_NULL_ARGUMENT);
    CHECK(reporting == 77);

    /* Simple policy and execute. */
    memset(&simple, 0, sizeof simple);
    simple.adjustment = 2;
    simple.cooldown_ms = 60000;
    simple.min_adjustment_magnitude = -1;
    OK(fc_group_put_simple_policy(&g, &simple, &policy));
    CHECK(policy == 0);
    simple.adjustment_type = 7;
    EXPECT(fc_group_put_simple_policy(&g, &simple, &index), FC_STATUS_INVALID_ENUM_VALUE);
    simple.adjustment_type = FC_ADJUSTMENT_TYPE_EXACT_CAPACITY;
    simple.adjustment = -1;
    EXPECT(fc_group_put_simple_policy(&g, &simple, &index), FC_STATUS_INVALID_ADJUSTMENT);
    simple.adjustment = 1;
    simple.cooldown_ms = -3;
    EXPECT(fc_group_put_simple_policy(&g, &simple, &index), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_put_simple_policy(&g, NULL, &index), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_simple_policy(&g, &simple, NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_execute_policy(&g, T0 + 100000, policy, false, 0, 0, true, &ex));
    CHECK(ex.kind == FC_EXECUTED_KIND_CHANGED && ex.from == 2 && ex.to == 4);
    settle(&g, T0 + 100000);
    settle(&g, T0 + 100001); /* settles the cooldown */
    OK(fc_group_execute_policy(&g, T0 + 110000, policy, false, 0, 0, true, &ex));
    CHECK(ex.kind == FC_EXECUTED_KIND_IN_COOLDOWN);
    EXPECT(fc_group_set_desired(&g, T0 + 110000, 5, true), FC_STATUS_IN_COOLDOWN);
    EXPECT(fc_group_execute_policy(&g, T0, 9, false, 0, 0, true, &ex), FC_STATUS_UNKNOWN_POLICY);
    EXPECT(fc_group_execute_policy(&g, T0, policy, false, 0, 0, true, NULL),
           FC_STATUS_NULL_ARGUMENT);

    /* Step policy. */
    memset(steps, 0, sizeof steps);
    steps[0].has_lower = true;
    steps[0].lower_milli = 0;
    steps[0].has_upper = true;
    steps[0].upper_milli = 20000;
    steps[0].adjustment = 1;
    steps[1].has_lower = true;
    steps[1].lower_milli = 20000;
    steps[1].adjustment = 3;
    memset(&step, 0, sizeof step);
    step.steps = steps;
    step.step_count = 2;
    step.min_adjustment_magnitude = -1;
    step.warmup_ms = 0;
    OK(fc_group_put_step_policy(&g, &step, &index));
    CHECK(index == 1);
    EXPECT(fc_group_execute_policy(&g, T0 + 120000, index, false, 0, 0, false, &ex),
           FC_STATUS_NO_STEP);
    OK(fc_group_execute_policy(&g, T0 + 120000, index, true, 95000, 70000, false, &ex));
    CHECK(ex.kind == FC_EXECUTED_KIND_CHANGED && ex.from == 4 && ex.to == 7);
    steps[1].lower_milli = 30000; /* a gap */
    EXPECT(fc_group_put_step_policy(&g, &step, &index), FC_STATUS_INVALID_STEPS);
    step.step_count = FC_GROUP_MAX_STEPS + 1;
    EXPECT(fc_group_put_step_policy(&g, &step, &index), FC_STATUS_INVALID_STEPS);
    step.step_count = 0;
    EXPECT(fc_group_put_step_policy(&g, &step, &index), FC_STATUS_INVALID_STEPS);
    step.steps = NULL;
    step.step_count = 1;
    EXPECT(fc_group_put_step_policy(&g, &step, &index), FC_STATUS_NULL_ARGUMENT);
    step.steps = steps;
    steps[1].lower_milli = 20000;
    step.step_count = 2;
    step.aggregation = 5;
    EXPECT(fc_group_put_step_policy(&g, &step, &index), FC_STATUS_INVALID_ENUM_VALUE);
    step.aggregation = FC_AGGREGATION_MAXIMUM;

    /* Alarms. */
    memset(&alarm, 0, sizeof alarm);
    alarm.comparison = FC_COMPARISON_GREATER_THAN;
    alarm.threshold_milli = 70000;
    alarm.evaluation_periods = 2;
    OK(fc_group_put_alarm(&g, T0 + 120000, cpu, &alarm, 1, &alarm_index));
    CHECK(alarm_index == 0);
    OK(fc_group_alarm_state(&g, alarm_index, &state));
    CHECK(state == FC_ALARM_STATE_INSUFFICIENT_DATA);
    state = 0;
    EXPECT(fc_group_alarm_state(&g, 1, &state), FC_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT(fc_group_alarm_state(&g, 0, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_alarm_state(&never_initialised, 0, &state), FC_STATUS_UNINITIALIZED);
    CHECK(state == 0);
    EXPECT(fc_group_put_alarm(&g, T0, 9, &alarm, 1, &index), FC_STATUS_UNKNOWN_METRIC);
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, 7, &index), FC_STATUS_UNKNOWN_POLICY);
    alarm.comparison = 0;
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, 1, &index), FC_STATUS_INVALID_ENUM_VALUE);
    alarm.comparison = FC_COMPARISON_LESS_THAN;
    alarm.statistic = 9;
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, 1, &index), FC_STATUS_INVALID_ENUM_VALUE);
    alarm.statistic = FC_STATISTIC_MAXIMUM;
    alarm.missing_data = 4;
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, 1, &index), FC_STATUS_INVALID_ENUM_VALUE);
    alarm.missing_data = FC_MISSING_DATA_BREACHING;
    alarm.datapoints_to_alarm = 3;
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, 1, &index), FC_STATUS_INVALID_EVALUATION);
    EXPECT(fc_group_put_alarm(&g, T0, cpu, NULL, 1, &index), FC_STATUS_NULL_ARGUMENT);
    alarm.datapoints_to_alarm = 0;
    for (i = 1; i < FC_GROUP_MAX_ALARMS; i++) {
        OK(fc_group_put_alarm(&g, T0, queue, &alarm, 1, &index));
    }
    EXPECT(fc_group_put_alarm(&g, T0, queue, &alarm, 1, &index), FC_STATUS_TOO_MANY_ALARMS);
    /* Alarms are evaluated in tick. */
    (void)tick(&g, T0 + 600000, a);
    OK(fc_group_alarm_state(&g, 1, &state));
    CHECK(state == FC_ALARM_STATE_ALARM || state == FC_ALARM_STATE_OK);

    /* Target tracking and HPA. */
    memset(&tt, 0, sizeof tt);
    tt.metric = cpu;
    tt.target_milli = 50000;
    tt.warmup_ms = -1;
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    EXPECT(fc_group_execute_policy(&g, T0, index, false, 0, 0, false, &ex),
           FC_STATUS_NOT_EXECUTABLE);
    EXPECT(fc_group_put_alarm(&g, T0, cpu, &alarm, index, &alarm_index), FC_STATUS_UNKNOWN_POLICY);
    tt.hpa = FC_HPA_DEFAULT_BEHAVIOR;
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    tt.hpa = FC_HPA_LEGACY;
    EXPECT(fc_group_put_target_tracking(&g, &tt, &index), FC_STATUS_HPA_TAKEN);
    tt.hpa = 3;
    EXPECT(fc_group_put_target_tracking(&g, &tt, &index), FC_STATUS_INVALID_ENUM_VALUE);
    tt.hpa = FC_HPA_OFF;
    tt.target_milli = 0;
    EXPECT(fc_group_put_target_tracking(&g, &tt, &index), FC_STATUS_INVALID_TARGET_TRACKING);
    tt.target_milli = 1000;
    tt.metric = 9;
    EXPECT(fc_group_put_target_tracking(&g, &tt, &index), FC_STATUS_UNKNOWN_METRIC);
    EXPECT(fc_group_put_target_tracking(NULL, &tt, &index), FC_STATUS_NULL_ARGUMENT);
    tt.metric = cpu;
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    CHECK(index == FC_GROUP_MAX_POLICIES - 1);
    EXPECT(fc_group_put_target_tracking(&g, &tt, &index), FC_STATUS_TOO_MANY_POLICIES);

    /* HPA needs a per-member metric. */
    OK(make(&other, 1, 4, -1));
    OK(fc_group_put_metric(&other, "queue", 60000, FC_METRIC_SOURCE_GROUP, &queue));
    tt.metric = queue;
    tt.hpa = FC_HPA_LEGACY;
    EXPECT(fc_group_put_target_tracking(&other, &tt, &index), FC_STATUS_INVALID_TARGET_TRACKING);
}

static void test_schedule_and_forecast(void) {
    fc_group_action a[16];
    fc_scheduled_action s;
    fc_predictive_config p;
    uint8_t load = 99, cpu = 99;
    int64_t milli = 5;
    bool has = true;
    uint64_t at = 0;
    int i;

    OK(make(&g, 1, 10, -1));
    memset(&s, 0, sizeof s);
    s.name = "morning";
    s.recurrence = "0 8 * * *";
    s.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    s.start_ms = -1;
    s.end_ms = -1;
    s.min_size = -1;
    s.max_size = -1;
    s.desired_capacity = 3;
    OK(fc_group_put_scheduled_action(&g, T0, &s));
    /* 08:00 in Paris on 2024-03-31 (summer time from 01:00 UTC) is 06:00 UTC. */
    OK(next_deadline(&g, &at, &has));
    CHECK(has && at == T0 + 6 * 3600000u);
    (void)tick(&g, T0, a);
    CHECK(get(desired, &g) == 1);
    (void)tick(&g, T0 + 6 * 3600000u, a);
    CHECK(get(desired, &g) == 3);

    s.name = "other";
    s.recurrence = NULL;
    s.time_zone = NULL;
    s.start_ms = (int64_t)T0 + 7200000;
    OK(fc_group_put_scheduled_action(&g, T0, &s));
    s.name = "clash";
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_SCHEDULE_CONFLICT);
    s.start_ms = -1;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_INVALID_CRON);
    s.recurrence = "0 8 * *";
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_INVALID_CRON);
    s.recurrence = "0 8 * * *";
    s.time_zone = "CET-1CEST,M3.5.0";
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_INVALID_TIME_ZONE);
    s.time_zone = "UTC\xff";
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_NOT_UTF8);
    s.time_zone = NULL;
    s.desired_capacity = -1;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_GROUP_OUT_OF_RANGE);
    s.min_size = 5;
    s.max_size = 2;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_MAX_BELOW_MIN);
    s.min_size = -1;
    s.max_size = FC_GROUP_MAX_MEMBERS + 1;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_MAX_ABOVE_CAPACITY);
    s.max_size = -7;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_GROUP_OUT_OF_RANGE);
    s.max_size = 4;
    s.name = NULL;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_NULL_ARGUMENT);
    s.name = "";
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_put_scheduled_action(&g, T0, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_scheduled_action(&never_initialised, T0, &s), FC_STATUS_UNINITIALIZED);
    s.recurrence = NULL;
    for (i = 0; i < FC_GROUP_MAX_SCHEDULED - 2; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        s.name = name;
        s.start_ms = (int64_t)T0 + 9000000 + i * 60000;
        OK(fc_group_put_scheduled_action(&g, T0, &s));
    }
    s.name = "one-too-many";
    s.start_ms = (int64_t)T0 + 99000000;
    EXPECT(fc_group_put_scheduled_action(&g, T0, &s), FC_STATUS_TOO_MANY_SCHEDULED);
    OK(fc_group_delete_scheduled_action(&g, "other"));
    EXPECT(fc_group_delete_scheduled_action(&g, "other"), FC_STATUS_UNKNOWN_SCHEDULED_ACTION);
    EXPECT(fc_group_delete_scheduled_action(&g, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_delete_scheduled_action(&g, "\xfe"), FC_STATUS_NOT_UTF8);
    OK(fc_group_put_scheduled_action(&g, T0, &s));

    /* Predictive: a daily pattern learned from a group metric. */
    OK(make(&g, 1, 10, -1));
    OK(fc_group_put_metric(&g, "load", 3600000, FC_METRIC_SOURCE_GROUP, &load));
    OK(fc_group_put_metric(&g, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &cpu));
    memset(&p, 0, sizeof p);
    p.target_per_member_milli = 100000;
    p.buffer_ms = -1;
    EXPECT(fc_group_forecast(&g, 0, &milli, &has), FC_STATUS_UNKNOWN_POLICY);
    EXPECT(fc_group_put_predictive(&g, &p, cpu), FC_STATUS_GROUP_OUT_OF_RANGE);
    EXPECT(fc_group_put_predictive(&g, &p, 9), FC_STATUS_UNKNOWN_METRIC);
    p.mode = 2;
    EXPECT(fc_group_put_predictive(&g, &p, load), FC_STATUS_INVALID_ENUM_VALUE);
    p.mode = FC_PREDICTIVE_MODE_FORECAST_ONLY;
    p.buffer_ms = 3600000;
    EXPECT(fc_group_put_predictive(&g, &p, load), FC_STATUS_INVALID_FORECAST_CONFIG);
    p.buffer_ms = -1;
    p.increase_max_capacity = true;
    p.max_capacity_buffer_percent = 101;
    EXPECT(fc_group_put_predictive(&g, &p, load), FC_STATUS_INVALID_FORECAST_CONFIG);
    p.max_capacity_buffer_percent = 10;
    EXPECT(fc_group_put_predictive(NULL, &p, load), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_predictive(&g, NULL, load), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_put_predictive(&g, &p, load));
    has = true;
    OK(fc_group_forecast(&g, T0 / 3600000 + 1, &milli, &has));
    CHECK(!has && milli == 5);
    for (i = 0; i < 48; i++) {
        int64_t value = (i % 24) < 12 ? 100000 : 300000;
        OK(fc_group_record(&g, T0 + (uint64_t)i * 3600000u + 1000, load, NULL, value));
    }
    OK(fc_group_forecast(&g, T0 / 3600000 + 48 + 13, &milli, &has));
    CHECK(has && milli > 200000);
    EXPECT(fc_group_forecast(&g, 0, NULL, &has), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_forecast(&never_initialised, 0, &milli, &has), FC_STATUS_UNINITIALIZED);
}

static void test_snapshot(void) {
    size_t need = 0, n = 0;
    uint32_t desired;
    fc_instance_id first;
    fc_group_member m;
    uint8_t metric;

    OK(make(&g, 1, 6, 3));
    settle(&g, T0);
    OK(fc_group_put_metric(&g, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &metric));
    first = member_id(&g, 0);
    OK(fc_group_snapshot_len(&g, &need));
    CHECK(need > 20 && need <= sizeof snapshot);
    memset(snapshot, 0xAB, sizeof snapshot);
    n = 12345;
    EXPECT(fc_group_snapshot(&g, snapshot, need - 1, &n), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(n == 12345 && snapshot[0] == 0xAB);
    EXPECT(fc_group_snapshot(&g, NULL, need, &n), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_snapshot(&g, snapshot, need, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_snapshot(&never_initialised, snapshot, need, &n), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_group_snapshot_len(NULL, &need), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_snapshot_len(&g, NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_group_snapshot(&g, snapshot, sizeof snapshot, &n));
    CHECK(n == need && memcmp(snapshot, "FLTC", 4) == 0);

    OK(fc_group_restore(&other, snapshot, n, 3));
    desired = get(desired, &other);
    CHECK(desired == 3 && get(in_service, &other) == 3);
    OK(fc_group_member_at(&other, 0, &m));
    CHECK(memcmp(&m.id, &first, sizeof first) == 0);
    {
        uint8_t again = 9;
        EXPECT(fc_group_put_metric(&other, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &again),
               FC_STATUS_DUPLICATE_METRIC);
    }

    /* Broken snapshots: the storage keeps what it had. */
    EXPECT(fc_group_restore(&other, snapshot, 10, 3), FC_STATUS_SNAPSHOT_TRUNCATED);
    EXPECT(fc_group_restore(&other, snapshot, n - 1, 3), FC_STATUS_SNAPSHOT_TRUNCATED);
    EXPECT(fc_group_restore(&other, NULL, 0, 3), FC_STATUS_SNAPSHOT_TRUNCATED);
    EXPECT(fc_group_restore(&other, NULL, 5, 3), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_restore(NULL, snapshot, n, 3), FC_STATUS_NULL_ARGUMENT);
    snapshot[n / 2] ^= 0x01;
    EXPECT(fc_group_restore(&other, snapshot, n, 3), FC_STATUS_SNAPSHOT_CHECKSUM);
    snapshot[n / 2] ^= 0x01;
    snapshot[0] = 'X';
    EXPECT(fc_group_restore(&other, snapshot, n, 3), FC_STATUS_NOT_A_SNAPSHOT);
    snapshot[0] = 'F';
    {
        /* Put back what was there: the format version moves with the core. */
        uint8_t version = snapshot[4];
        uint8_t kind = snapshot[6];
        snapshot[4] = 99;
        EXPECT(fc_group_restore(&other, snapshot, n, 3), FC_STATUS_SNAPSHOT_UNSUPPORTED_VERSION);
        snapshot[4] = version;
        snapshot[6] = 9;
        EXPECT(fc_group_restore(&other, snapshot, n, 3), FC_STATUS_SNAPSHOT_WRONG_KIND);
        snapshot[6] = kind;
    }
    CHECK(get(desired, &other) == 3 && get(in_service, &other) == 3);

    /* Storage that never held a group (wiped, as at reset): a refused snapshot leaves it
     * uninitialised, a good one is decoded in it. */
    memset(&other, 0, sizeof other);
    snapshot[n / 2] ^= 0x01;
    EXPECT(fc_group_restore(&other, snapshot, n, 3), FC_STATUS_SNAPSHOT_CHECKSUM);
    snapshot[n / 2] ^= 0x01;
    {
        fc_group_info v;
        EXPECT(fc_group_get_info(&other, &v), FC_STATUS_UNINITIALIZED);
    }
    OK(fc_group_restore(&other, snapshot, n, 3));
    CHECK(get(desired, &other) == 3);
    OK(fc_group_member_at(&other, 0, &m));
    CHECK(memcmp(&m.id, &first, sizeof first) == 0);
}

int main(void) {
    test_statuses();
    test_init();
    test_sizes_and_tick();
    test_observe_and_hooks();
    test_standby_protection_attach();
    test_metrics_alarms_policies();
    test_schedule_and_forecast();
    test_snapshot();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
