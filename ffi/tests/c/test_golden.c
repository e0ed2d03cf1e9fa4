/*
 * The golden scenarios through the C ABI (fleetcore.h): group_run, lifecycle, scaling, taxi,
 * doc_controller and doc_taxi,
 * each printing its action log as lines "golden <name>: ...", which scripts/c-tests.sh compares
 * byte for byte with golden/<name>.txt at the repository root. The Rust core API
 * (golden/scenarios.rs: core/tests/golden.rs on x86-64 and the Cortex-M firmware), Python
 * (python/tests/test_golden.py) and this file must all print those files; golden/README.md
 * describes the scenarios. Keep this file in step with golden/scenarios.rs.
 *
 * The taxi scenario reads the first 672 rows of nyc_taxi.csv from $FLEETCORE_TRACES, else
 * ../shared/traces (the run's directory is the repository root).
 *
 * Built by scripts/c-tests.sh with -std=c11 -Wall -Wextra -Werror -pedantic, run under
 * ASan/UBSan (staticlib) and Valgrind (cdylib). The last line is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

/* The launch template and version every surface can express (the Python group's). */
static const char *const TEMPLATE = "lt-00000000000000001";
#define MINUTE 60000u
#define TAXI_ROWS 672

static fc_group g;

static fc_group_info info(void) {
    fc_group_info i;
    memset(&i, 0, sizeof i);
    OK(fc_group_get_info(&g, &i));
    return i;
}

/* The world: members launched at the previous minute, to report booted; launching hooks
 * notified at the previous minute, to answer CONTINUE (unless `answer_hooks` was off). */
static fc_instance_id booting[32];
static size_t nbooting;
static fc_instance_id answering[32];
static uint8_t answering_hook[32];
static size_t nanswering;
static int answer_hooks = 1;

static void answer(uint64_t now) {
    size_t k;
    for (k = 0; k < nanswering; k++) {
        fc_group_event e;
        memset(&e, 0, sizeof e);
        e.kind = FC_GROUP_EVENT_KIND_HOOK_COMPLETED;
        e.id = answering[k];
        e.hook = answering_hook[k];
        e.hook_result = FC_HOOK_RESULT_CONTINUE;
        OK(fc_group_observe(&g, now, &e));
    }
    nanswering = 0;
}

static void boot(uint64_t now) {
    size_t k;
    for (k = 0; k < nbooting; k++) {
        fc_group_event e;
        memset(&e, 0, sizeof e);
        e.kind = FC_GROUP_EVENT_KIND_BOOTED;
        e.id = booting[k];
        OK(fc_group_observe(&g, now, &e));
    }
    nbooting = 0;
}

/* Decides once at `now` and drains the actions a few at a time (any buffer size gives the same
 * actions), printing each; then the terminations complete. */
static void tick(const char *name, uint64_t now, uint64_t secs) {
    fc_instance_id ending[32];
    size_t nending = 0, n = 0, k;
    fc_group_action a[4];
    OK(fc_group_decide(&g, now));
    do {
        OK(fc_group_drain(&g, a, 4, &n));
        for (k = 0; k < n; k++) {
            char text[FC_GROUP_ACTION_TEXT_SIZE];
            size_t len = 0;
            OK(fc_group_action_format(&a[k], text, sizeof text, &len));
            printf("golden %s: t=%" PRIu64 " %s\n", name, secs, text);
            if (a[k].kind == FC_GROUP_ACTION_KIND_LAUNCH && nbooting < 32) {
                booting[nbooting++] = a[k].id;
            } else if (a[k].kind == FC_GROUP_ACTION_KIND_TERMINATE && nending < 32) {
                ending[nending++] = a[k].id;
            } else if (a[k].kind == FC_GROUP_ACTION_KIND_NOTIFY_HOOK) {
                /* Terminating hooks are never answered: their heartbeat times out. */
                if (a[k].transition == FC_HOOK_TRANSITION_LAUNCHING && answer_hooks &&
                    nanswering < 32) {
                    answering[nanswering] = a[k].id;
                    answering_hook[nanswering++] = a[k].hook;
                }
            } else {
                CHECK(!"an action the scenario does not expect");
            }
        }
    } while (n == 4);
    for (k = 0; k < nending; k++) {
        fc_group_event e;
        memset(&e, 0, sizeof e);
        e.kind = FC_GROUP_EVENT_KIND_TERMINATED;
        e.id = ending[k];
        OK(fc_group_observe(&g, now, &e));
    }
}

static const char *alarm_name(uint32_t state) {
    switch (state) {
    case FC_ALARM_STATE_OK:
        return "OK";
    case FC_ALARM_STATE_ALARM:
        return "ALARM";
    case FC_ALARM_STATE_INSUFFICIENT_DATA:
        return "INSUFFICIENT_DATA";
    default:
        return "?";
    }
}

/* "desired=… capacity=… in_service=…" */
static void print_sizes(void) {
    printf("desired=%u capacity=%u in_service=%u", (unsigned)info().desired,
           (unsigned)info().capacity, (unsigned)info().in_service);
}

/* ",".join(alarm states) for `count` alarms. */
static void print_alarms(unsigned count) {
    unsigned i;
    for (i = 0; i < count; i++) {
        uint32_t s = 0;
        OK(fc_group_alarm_state(&g, (uint8_t)i, &s));
        printf("%s%s", i > 0 ? "," : "", alarm_name(s));
    }
}

static fc_step_adjustment step(int has_lower, int64_t lower, int has_upper, int64_t upper,
                               int32_t adjustment) {
    fc_step_adjustment s;
    memset(&s, 0, sizeof s);
    s.has_lower = has_lower != 0;
    s.lower_milli = lower;
    s.has_upper = has_upper != 0;
    s.upper_milli = upper;
    s.adjustment = adjustment;
    return s;
}

static uint8_t put_step_policy(uint32_t type, const fc_step_adjustment *steps, size_t count,
                               int64_t min_magnitude) {
    fc_step_policy p;
    uint8_t index = 0;
    memset(&p, 0, sizeof p);
    p.adjustment_type = type;
    p.steps = steps;
    p.step_count = count;
    p.min_adjustment_magnitude = min_magnitude;
    p.warmup_ms = -1;
    p.aggregation = FC_AGGREGATION_AVERAGE;
    OK(fc_group_put_step_policy(&g, &p, &index));
    return index;
}

static uint8_t put_alarm(uint64_t now, uint8_t metric, uint32_t comparison, int64_t threshold,
                         uint32_t n, uint32_t m, uint32_t statistic, uint8_t policy) {
    fc_alarm_config a;
    uint8_t index = 0;
    memset(&a, 0, sizeof a);
    a.comparison = comparison;
    a.threshold_milli = threshold;
    a.evaluation_periods = n;
    a.datapoints_to_alarm = m;
    a.statistic = statistic;
    OK(fc_group_put_alarm(&g, now, metric, &a, policy, &index));
    return index;
}

static void init(uint32_t min, uint32_t max, const char *zones, uint64_t seed,
                 int64_t warmup_ms) {
    fc_group_config c;
    OK(fc_group_config_default(&c));
    c.min_size = min;
    c.max_size = max;
    c.zones = zones;
    c.template_id = TEMPLATE;
    c.template_version = 1;
    c.seed = seed;
    c.default_instance_warmup_ms = warmup_ms;
    OK(fc_group_init(&g, &c));
    nbooting = 0;
    nanswering = 0;
    answer_hooks = 1;
}

static uint8_t put_target_tracking(uint8_t metric, int64_t target_milli) {
    fc_target_tracking_policy tt;
    uint8_t index = 0;
    memset(&tt, 0, sizeof tt);
    tt.metric = metric;
    tt.target_milli = target_milli;
    tt.warmup_ms = -1;
    tt.hpa = FC_HPA_OFF;
    OK(fc_group_put_target_tracking(&g, &tt, &index));
    return index;
}

/* ---- group_run ---- */

static int64_t group_run_load(uint64_t minute) {
    return minute < 12 ? 150000 : minute < 24 ? 50000 : 20000;
}

static void group_run(void) {
    const uint64_t t0 = 1711843200000u; /* 2024-03-31T00:00:00Z */
    fc_step_adjustment out_steps[2], in_steps[1];
    fc_scheduled_action evening;
    uint8_t cpu = 0, out, in;
    uint64_t i;

    init(1, 6, "a,b", 42, 60000);
    OK(fc_group_put_metric(&g, "cpu", MINUTE, FC_METRIC_SOURCE_MEMBERS, &cpu));
    out_steps[0] = step(1, 0, 1, 20000, 1);
    out_steps[1] = step(1, 20000, 0, 0, 2);
    out = put_step_policy(FC_ADJUSTMENT_TYPE_CHANGE_IN_CAPACITY, out_steps, 2, -1);
    in_steps[0] = step(0, 0, 1, 0, -1);
    in = put_step_policy(FC_ADJUSTMENT_TYPE_CHANGE_IN_CAPACITY, in_steps, 1, -1);
    put_alarm(t0, cpu, FC_COMPARISON_GREATER_THAN, 70000, 2, 0, FC_STATISTIC_AVERAGE, out);
    put_alarm(t0, cpu, FC_COMPARISON_LESS_THAN, 30000, 3, 0, FC_STATISTIC_AVERAGE, in);

    memset(&evening, 0, sizeof evening);
    evening.name = "evening";
    evening.start_ms = (int64_t)(t0 + 20 * MINUTE);
    evening.end_ms = -1;
    evening.min_size = 2;
    evening.max_size = -1;
    evening.desired_capacity = 4;
    OK(fc_group_put_scheduled_action(&g, t0, &evening));

    for (i = 0; i < 30; i++) {
        uint64_t now = t0 + i * MINUTE;
        uint64_t secs = i * 60;
        uint32_t in_service, reporting;
        boot(now);
        in_service = info().in_service;
        if (i > 0 && in_service > 0) {
            OK(fc_group_record_in_service(&g, now - 30000, cpu, group_run_load(i) / in_service,
                                          &reporting));
        }
        tick("group_run", now, secs);
        printf("golden group_run: t=%" PRIu64 " ", secs);
        print_sizes();
        printf(" alarms=");
        print_alarms(2);
        printf("\n");
    }
}

/* ---- lifecycle ---- */

static const char *member_state_name(uint32_t state) {
    switch (state) {
    case FC_MEMBER_STATE_PENDING:
        return "Pending";
    case FC_MEMBER_STATE_PENDING_WAIT:
        return "Pending:Wait";
    case FC_MEMBER_STATE_PENDING_PROCEED:
        return "Pending:Proceed";
    case FC_MEMBER_STATE_IN_SERVICE:
        return "InService";
    case FC_MEMBER_STATE_ENTERING_STANDBY:
        return "EnteringStandby";
    case FC_MEMBER_STATE_STANDBY:
        return "Standby";
    case FC_MEMBER_STATE_TERMINATING:
        return "Terminating";
    case FC_MEMBER_STATE_TERMINATING_WAIT:
        return "Terminating:Wait";
    case FC_MEMBER_STATE_TERMINATING_PROCEED:
        return "Terminating:Proceed";
    case FC_MEMBER_STATE_TERMINATED:
        return "Terminated";
    default:
        return "?";
    }
}

/* The id of member `index` (launch order), for the scripted events. */
static fc_instance_id member_id(uint32_t index) {
    fc_group_member m;
    memset(&m, 0, sizeof m);
    OK(fc_group_member_at(&g, index, &m));
    return m.id;
}

static void lifecycle(void) {
    const uint64_t t0 = 1711843200000u; /* 2024-03-31T00:00:00Z */
    const uint32_t policies[2] = {FC_TERMINATION_POLICY_OLDEST_INSTANCE,
                                  FC_TERMINATION_POLICY_DEFAULT};
    fc_group_config c;
    uint8_t hook = 0;
    uint64_t i;

    OK(fc_group_config_default(&c));
    c.min_size = 2;
    c.max_size = 6;
    c.desired_capacity = 4;
    c.zones = "a,b";
    c.template_id = TEMPLATE;
    c.template_version = 1;
    c.seed = 99;
    c.termination_policies = policies;
    c.termination_policy_count = 2;
    OK(fc_group_init(&g, &c));
    nbooting = 0;
    nanswering = 0;
    OK(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_LAUNCHING, 60000, FC_HOOK_RESULT_ABANDON,
                                   &hook));
    OK(fc_group_put_lifecycle_hook(&g, FC_HOOK_TRANSITION_TERMINATING, 120000,
                                   FC_HOOK_RESULT_CONTINUE, &hook));

    for (i = 0; i < 30; i++) {
        uint64_t now = t0 + i * MINUTE;
        uint64_t secs = i * 60;
        uint32_t count, k;
        fc_instance_id id;
        boot(now);
        answer(now);
        switch (i) {
        case 5:
            id = member_id(0);
            OK(fc_group_enter_standby(&g, now, &id, 1, false));
            break;
        case 8:
            id = member_id(1);
            OK(fc_group_set_protection(&g, &id, 1, true));
            break;
        case 11:
            id = member_id(0);
            OK(fc_group_exit_standby(&g, now, &id, 1));
            break;
        case 13: {
            fc_group_event e;
            memset(&e, 0, sizeof e);
            e.kind = FC_GROUP_EVENT_KIND_UNHEALTHY;
            e.id = member_id(2);
            e.health_source = FC_HEALTH_SOURCE_CUSTOM;
            OK(fc_group_observe(&g, now, &e));
            break;
        }
        case 20:
            OK(fc_group_set_desired(&g, now, 2, false));
            break;
        default:
            break;
        }
        answer_hooks = !(i >= 14 && i < 16);
        tick("lifecycle", now, secs);
        printf("golden lifecycle: t=%" PRIu64 " ", secs);
        print_sizes();
        printf(" members=");
        count = info().member_count;
        for (k = 0; k < count; k++) {
            fc_group_member m;
            memset(&m, 0, sizeof m);
            OK(fc_group_member_at(&g, k, &m));
            printf("%s%s", k > 0 ? "," : "", member_state_name(m.state));
        }
        printf("\n");
    }
}

/* ---- scaling ---- */

static int64_t scaling_cpu(uint64_t m) {
    return m < 20 ? 50000 : m < 45 ? 400000 : m < 70 ? 150000 : 60000;
}

static int64_t scaling_queue(uint64_t m) {
    return m < 25 ? 0 : m < 35 ? 180000 : m < 45 ? 450000 : m < 60 ? 60000 : m < 120 ? 2000 : 0;
}

static void scaling(void) {
    const uint64_t t0 = 1711843200000u; /* 2024-03-31T00:00:00Z */
    fc_step_adjustment out_steps[2], in_steps[1];
    fc_simple_policy simple;
    fc_scheduled_action s;
    uint8_t cpu = 0, queue = 0, out, in, burst = 0;
    uint64_t i;

    init(1, 10, "a,b,c", 2024, 120000);
    OK(fc_group_put_metric(&g, "cpu", MINUTE, FC_METRIC_SOURCE_MEMBERS, &cpu));
    OK(fc_group_put_metric(&g, "queue", MINUTE, FC_METRIC_SOURCE_GROUP, &queue));
    put_target_tracking(cpu, 60000);
    out_steps[0] = step(1, 0, 1, 200000, 1);
    out_steps[1] = step(1, 200000, 0, 0, 3);
    out = put_step_policy(FC_ADJUSTMENT_TYPE_CHANGE_IN_CAPACITY, out_steps, 2, -1);
    in_steps[0] = step(0, 0, 1, 0, -50);
    in = put_step_policy(FC_ADJUSTMENT_TYPE_PERCENT_CHANGE_IN_CAPACITY, in_steps, 1, 1);
    memset(&simple, 0, sizeof simple);
    simple.adjustment_type = FC_ADJUSTMENT_TYPE_CHANGE_IN_CAPACITY;
    simple.adjustment = 2;
    simple.cooldown_ms = 180000;
    simple.min_adjustment_magnitude = -1;
    OK(fc_group_put_simple_policy(&g, &simple, &burst));
    put_alarm(t0, queue, FC_COMPARISON_GREATER_THAN, 100000, 2, 0, FC_STATISTIC_AVERAGE, out);
    put_alarm(t0, queue, FC_COMPARISON_LESS_THAN, 10000, 5, 4, FC_STATISTIC_AVERAGE, in);
    put_alarm(t0, cpu, FC_COMPARISON_GREATER_THAN_OR_EQUAL, 95000, 1, 0, FC_STATISTIC_MAXIMUM,
              burst);

    memset(&s, 0, sizeof s);
    s.name = "morning";
    s.recurrence = "30 0 * * *";
    s.start_ms = -1;
    s.end_ms = -1;
    s.min_size = 3;
    s.max_size = -1;
    s.desired_capacity = -1;
    OK(fc_group_put_scheduled_action(&g, t0, &s));
    memset(&s, 0, sizeof s);
    s.name = "cap";
    s.start_ms = (int64_t)(t0 + 90 * MINUTE);
    s.end_ms = -1;
    s.min_size = -1;
    s.max_size = 6;
    s.desired_capacity = -1;
    OK(fc_group_put_scheduled_action(&g, t0, &s));

    for (i = 0; i < 120; i++) {
        uint64_t now = t0 + i * MINUTE;
        uint64_t secs = i * 60;
        boot(now);
        if (i > 0) {
            uint32_t in_service = info().in_service, reporting;
            if (in_service > 0) {
                OK(fc_group_record_in_service(&g, now - 30000, cpu, scaling_cpu(i) / in_service,
                                              &reporting));
            }
            OK(fc_group_record(&g, now - 30000, queue, NULL, scaling_queue(i)));
        }
        tick("scaling", now, secs);
        printf("golden scaling: t=%" PRIu64 " ", secs);
        print_sizes();
        printf(" min=%u max=%u alarms=", (unsigned)info().min_size,
               (unsigned)info().max_size);
        print_alarms(3);
        printf("\n");
    }
}

/* ---- taxi ---- */

/* Reads the rides column of the first TAXI_ROWS rows of nyc_taxi.csv; 0 when it cannot. */
static int read_taxi(uint32_t *rides) {
    const char *dir = getenv("FLEETCORE_TRACES");
    char path[1024];
    char line[256];
    FILE *f;
    int n = 0;
    snprintf(path, sizeof path, "%s/nyc_taxi.csv", dir != NULL ? dir : "../shared/traces");
    f = fopen(path, "r");
    if (f == NULL) {
        printf("cannot open %s (set FLEETCORE_TRACES)\n", path);
        return 0;
    }
    if (fgets(line, sizeof line, f) == NULL) { /* the header */
        fclose(f);
        return 0;
    }
    while (n < TAXI_ROWS && fgets(line, sizeof line, f) != NULL) {
        const char *comma = strchr(line, ',');
        if (comma == NULL) {
            break;
        }
        rides[n++] = (uint32_t)strtoul(comma + 1, NULL, 10);
    }
    fclose(f);
    return n == TAXI_ROWS;
}

static void taxi(void) {
    const uint64_t t0 = 1404172800000u; /* 2014-07-01T00:00:00Z, the trace's first row */
    static uint32_t rides[TAXI_ROWS];
    fc_predictive_config p;
    uint8_t total = 0, load = 0;
    uint64_t minute = 0;
    int row, k;

    CHECK(read_taxi(rides));
    init(2, 20, "a,b,c", 7, 300000);
    OK(fc_group_put_metric(&g, "rides", MINUTE, FC_METRIC_SOURCE_GROUP, &total));
    OK(fc_group_put_metric(&g, "load", MINUTE, FC_METRIC_SOURCE_MEMBERS, &load));
    memset(&p, 0, sizeof p);
    p.mode = FC_PREDICTIVE_MODE_FORECAST_AND_SCALE;
    p.target_per_member_milli = 1500000;
    p.buffer_ms = -1;
    OK(fc_group_put_predictive(&g, &p, total));
    put_target_tracking(load, 1000000);

    for (row = 0; row < TAXI_ROWS; row++) {
        for (k = 0; k < 30; k++) {
            uint64_t now = t0 + minute * MINUTE;
            uint64_t secs = minute * 60;
            boot(now);
            if (minute > 0) {
                int64_t milli = (int64_t)rides[row] * 1000;
                uint32_t in_service, reporting;
                OK(fc_group_record(&g, now - 30000, total, NULL, milli));
                in_service = info().in_service;
                if (in_service > 0) {
                    OK(fc_group_record_in_service(&g, now - 30000, load, milli / in_service,
                                                  &reporting));
                }
            }
            tick("taxi", now, secs);
            if (minute % 30 == 0) {
                printf("golden taxi: t=%" PRIu64 " rides=%u ", secs, (unsigned)rides[row]);
                print_sizes();
                printf("\n");
            }
            minute++;
        }
    }
}

/* ---- the document scenarios ---- */

/* The first day of nyc_taxi.csv (48 half hours) through the group of a controller document
 * (fc_group_init_json, the first group, no catalog), in the world of golden/scenarios.rs
 * `document`: a launch or start boots `boot_ms` later (reported at its boot time), samples are
 * stamped 30 s before each minute from the second (the load metric gets the row's load, the
 * utilisation metric each member in service load x 100 / (member capacity x in service)
 * percent), every action is logged and then carried out: terminations and stops complete at
 * once, hooks are answered CONTINUE at once. The world's settings are the documents'
 * `simulation` sections, written here (the C ABI does not read that section). */
#define DAY_ROWS 48
#define DOC_BOOTING 64

struct doc_scenario {
    const char *name;
    const char *path;
    uint64_t seed;
    uint8_t utilisation_metric;
    uint8_t load_metric;
    int64_t member_capacity_milli;
    uint64_t boot_ms;
};

static const struct doc_scenario DOC_SCENARIOS[] = {
    {"doc_controller", "examples/controller.json", 0, 0, 1, 1000000, 120000},
    {"doc_taxi", "examples/taxi.json", 2014, 0, 1, 1000000, 180000},
};

/* The first DAY_ROWS rows of nyc_taxi.csv: their times (ms since the epoch, from the first
 * row's 2014-07-01T00:00:00Z and the rows' half-hour spacing, checked) and loads. */
static int read_day(uint32_t *loads) {
    const char *dir = getenv("FLEETCORE_TRACES");
    char path[1024];
    char line[256];
    FILE *f;
    int n = 0;
    snprintf(path, sizeof path, "%s/nyc_taxi.csv", dir != NULL ? dir : "../shared/traces");
    f = fopen(path, "r");
    if (f == NULL) {
        printf("cannot open %s (set FLEETCORE_TRACES)\n", path);
        return 0;
    }
    if (fgets(line, sizeof line, f) == NULL) { /* the header */
        fclose(f);
        return 0;
    }
    while (n < DAY_ROWS && fgets(line, sizeof line, f) != NULL) {
        unsigned hh = 99, mm = 99;
        const char *comma = strchr(line, ',');
        if (comma == NULL || sscanf(line, "2014-07-01 %2u:%2u:00", &hh, &mm) != 2 ||
            hh * 60 + mm != (unsigned)n * 30) {
            break;
        }
        loads[n++] = (uint32_t)strtoul(comma + 1, NULL, 10);
    }
    fclose(f);
    return n == DAY_ROWS;
}

static void doc_scenario(const struct doc_scenario *s, const uint32_t *loads) {
    const uint64_t t0 = 1404172800000u; /* 2014-07-01T00:00:00Z, the trace's first row */
    static char json[FC_CONFIG_MAX_DOCUMENT];
    static fc_instance_id boot_id[DOC_BOOTING];
    static uint64_t boot_at[DOC_BOOTING];
    size_t nboot = 0, len;
    fc_group_json_options opts;
    fc_config_error where;
    uint64_t minute = 0;
    int row, k;
    FILE *f = fopen(s->path, "rb");
    if (f == NULL) {
        printf("cannot open %s: run from the repository root\n", s->path);
        CHECK(!"the document opens");
        return;
    }
    len = fread(json, 1, sizeof json, f);
    fclose(f);
    OK(fc_group_json_options_default(&opts));
    opts.seed = s->seed;
    opts.now_ms = t0;
    memset(&where, 0, sizeof where);
    if (fc_group_init_json(&g, (const uint8_t *)json, len, &opts, &where) != FC_STATUS_OK) {
        printf("%s: refused at %s\n", s->path, where.path);
        CHECK(!"the document builds a group");
        return;
    }
    for (row = 0; row < DAY_ROWS; row++) {
        int64_t load_milli = (int64_t)loads[row] * 1000;
        for (k = 0; k < 30; k++) {
            uint64_t now = t0 + minute * MINUTE;
            uint64_t secs = minute * 60;
            size_t due = 0, i, n = 0;
            fc_group_action a[4];
            fc_group_action taken[128];
            size_t ntaken = 0;
            while (due < nboot && boot_at[due] <= now) {
                fc_group_event e;
                memset(&e, 0, sizeof e);
                e.kind = FC_GROUP_EVENT_KIND_BOOTED;
                e.id = boot_id[due];
                OK(fc_group_observe(&g, boot_at[due], &e));
                due++;
            }
            memmove(boot_id, boot_id + due, (nboot - due) * sizeof boot_id[0]);
            memmove(boot_at, boot_at + due, (nboot - due) * sizeof boot_at[0]);
            nboot -= due;
            if (minute > 0) {
                uint32_t in_service = info().in_service, reporting;
                OK(fc_group_record(&g, now - 30000, s->load_metric, NULL, load_milli));
                if (in_service > 0) {
                    int64_t served = (int64_t)in_service * s->member_capacity_milli;
                    OK(fc_group_record_in_service(&g, now - 30000, s->utilisation_metric,
                                                  load_milli * 100000 / served, &reporting));
                }
            }
            OK(fc_group_decide(&g, now));
            do {
                OK(fc_group_drain(&g, a, 4, &n));
                for (i = 0; i < n; i++) {
                    char text[FC_GROUP_ACTION_TEXT_SIZE];
                    size_t tlen = 0;
                    OK(fc_group_action_format(&a[i], text, sizeof text, &tlen));
                    printf("golden %s: t=%" PRIu64 " %s\n", s->name, secs, text);
                    if (ntaken < 128) {
                        taken[ntaken++] = a[i];
                    } else {
                        CHECK(!"at most 128 actions in one tick");
                    }
                }
            } while (n == 4);
            for (i = 0; i < ntaken; i++) {
                fc_group_event e;
                size_t j, kept = 0;
                memset(&e, 0, sizeof e);
                e.id = taken[i].id;
                switch (taken[i].kind) {
                case FC_GROUP_ACTION_KIND_LAUNCH:
                case FC_GROUP_ACTION_KIND_START:
                    if (nboot < DOC_BOOTING) {
                        boot_id[nboot] = taken[i].id;
                        boot_at[nboot++] = now + s->boot_ms;
                    } else {
                        CHECK(!"at most 64 members booting");
                    }
                    continue;
                case FC_GROUP_ACTION_KIND_TERMINATE:
                    e.kind = FC_GROUP_EVENT_KIND_TERMINATED;
                    break;
                case FC_GROUP_ACTION_KIND_STOP:
                    e.kind = FC_GROUP_EVENT_KIND_EC2_STATE;
                    e.ec2_state = FC_INSTANCE_STATE_STOPPED;
                    break;
                case FC_GROUP_ACTION_KIND_NOTIFY_HOOK:
                    e.kind = FC_GROUP_EVENT_KIND_HOOK_COMPLETED;
                    e.hook = taken[i].hook;
                    e.hook_result = FC_HOOK_RESULT_CONTINUE;
                    break;
                default:
                    CHECK(!"an action the scenario does not expect");
                    continue;
                }
                if (e.kind != FC_GROUP_EVENT_KIND_HOOK_COMPLETED) {
                    /* A member that ends or stops no longer boots. */
                    for (j = 0; j < nboot; j++) {
                        if (memcmp(&boot_id[j], &e.id, sizeof e.id) != 0) {
                            boot_id[kept] = boot_id[j];
                            boot_at[kept++] = boot_at[j];
                        }
                    }
                    nboot = kept;
                }
                OK(fc_group_observe(&g, now, &e));
            }
            if (minute % 30 == 0) {
                printf("golden %s: t=%" PRIu64 " load=%u ", s->name, secs, (unsigned)loads[row]);
                print_sizes();
                printf("\n");
            }
            minute++;
        }
    }
}

static void documents(void) {
    static uint32_t loads[DAY_ROWS];
    size_t i;
    CHECK(read_day(loads));
    for (i = 0; i < sizeof DOC_SCENARIOS / sizeof DOC_SCENARIOS[0]; i++) {
        doc_scenario(&DOC_SCENARIOS[i], loads);
    }
}

int main(void) {
    group_run();
    lifecycle();
    scaling();
    taxi();
    documents();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
