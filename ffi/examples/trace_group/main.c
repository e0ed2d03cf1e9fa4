/*
 * trace_group: an EC2 Auto Scaling group with target tracking, driven by a demand trace, through
 * the fleetcore C library (found with pkg-config; see Makefile).
 *
 *   ./trace_group path/to/nyc_taxi.csv
 *
 * The trace is "timestamp,value" rows (a header first). Each row is one step of STEP_MS: the
 * group's load is the row's value. Members take BOOT_STEPS steps to boot, and each in-service
 * member reports CPU utilisation = load / (in service x MEMBER_CAPACITY), capped at 100 %. A
 * target-tracking policy keeps it near TARGET_PERCENT. At the end it prints one summary line:
 *
 *   summary: steps=N launches=N terminations=N peak=N cost_micros=N
 *
 * (cost from the group's own ledger at PRICE_MICROS per member-hour, billed per second).
 * Everything is deterministic: the same trace gives the same summary.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleetcore.h"

#define STEP_MS 60000u        /* one trace row per simulated minute */
#define BOOT_STEPS 3u         /* a launch is in service three steps later */
#define MEMBER_CAPACITY 1000u /* load one member serves at 100 % */
#define TARGET_PERCENT 60     /* target tracking on CPU */
#define MIN_SIZE 2u
#define MAX_SIZE 60u
#define PRICE_MICROS 96000u /* 0.096 per member-hour, m5.large On-Demand */
#define ACTIONS 16u

static const uint64_t T0 = 1404172800000u; /* 2014-07-01T00:00:00Z, the trace's first row */

static fc_group group; /* 64 KB: static storage, not the stack */

struct booting {
    fc_instance_id id;
    uint64_t ready_ms;
};

static struct booting booting[FC_GROUP_MAX_MEMBERS];
static size_t nbooting;

static int fail(const char *what, fc_status s) {
    char text[FC_STATUS_MESSAGE_SIZE] = "unknown status";
    size_t n;
    fc_status_message(s, text, sizeof text, &n);
    fprintf(stderr, "trace_group: %s: %s (%u)\n", what, text, (unsigned)s);
    return 1;
}

#define TRY(call)                                                                              \
    do {                                                                                       \
        fc_status s_ = (call);                                                                 \
        if (s_ != FC_STATUS_OK) {                                                              \
            return fail(#call, s_);                                                            \
        }                                                                                      \
    } while (0)

static int setup(uint8_t *cpu) {
    fc_group_config c;
    fc_target_tracking_policy tt;
    fc_priced_type price;
    uint8_t policy;

    TRY(fc_group_config_default(&c));
    c.min_size = MIN_SIZE;
    c.max_size = MAX_SIZE;
    c.zones = "rack-a,rack-b,rack-c";
    c.template_id = "lt-0123456789abcdef0";
    c.template_version = 1;
    c.seed = 2014;
    c.default_instance_warmup_ms = BOOT_STEPS * STEP_MS;
    TRY(fc_group_init(&group, &c));

    price.name = "m5.large";
    price.on_demand_micros = PRICE_MICROS;
    TRY(fc_group_set_prices(&group, T0, &price, 1, NULL, 0, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));

    TRY(fc_group_put_metric(&group, "CPU", STEP_MS, FC_METRIC_SOURCE_MEMBERS, cpu));
    memset(&tt, 0, sizeof tt);
    tt.metric = *cpu;
    tt.target_milli = TARGET_PERCENT * 1000;
    tt.warmup_ms = -1;
    tt.hpa = FC_HPA_OFF;
    TRY(fc_group_put_target_tracking(&group, &tt, &policy));
    return 0;
}

/* Reads the next row's value; 0 at the end of the file, -1 on a malformed row. */
static int next_row(FILE *f, long *value) {
    char line[256];
    char *comma, *end;
    if (fgets(line, sizeof line, f) == NULL) {
        return 0;
    }
    comma = strchr(line, ',');
    if (comma == NULL) {
        return -1;
    }
    *value = strtol(comma + 1, &end, 10);
    if (end == comma + 1 || *value < 0) {
        return -1;
    }
    return 1;
}

int main(int argc, char **argv) {
    FILE *f;
    char header[256];
    uint8_t cpu = 0;
    uint64_t steps = 0, launches = 0, terminations = 0, now = T0;
    uint32_t peak = 0;
    long load = 0;
    int row;
    fc_spend spend;

    if (argc != 2) {
        fprintf(stderr, "usage: %s trace.csv\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "r");
    if (f == NULL || fgets(header, sizeof header, f) == NULL) {
        fprintf(stderr, "trace_group: cannot read %s\n", argv[1]);
        return 1;
    }
    if (setup(&cpu) != 0) {
        return 1;
    }
    printf("fleetcore %s: target tracking at %d %% CPU, members of %u, %u-%u members\n",
           fc_version(), TARGET_PERCENT, MEMBER_CAPACITY, MIN_SIZE, MAX_SIZE);

    while ((row = next_row(f, &load)) == 1) {
        fc_group_action actions[ACTIONS];
        size_t n = 0, i, k;
        uint32_t in_service = 0, reporting = 0;
        now = T0 + steps * STEP_MS;

        /* Members whose boot finished are running. */
        for (i = 0, k = 0; i < nbooting; i++) {
            if (booting[i].ready_ms <= now) {
                fc_group_event e;
                memset(&e, 0, sizeof e);
                e.kind = FC_GROUP_EVENT_KIND_BOOTED;
                e.id = booting[i].id;
                TRY(fc_group_observe(&group, now, &e));
            } else {
                booting[k++] = booting[i];
            }
        }
        nbooting = k;

        /* Members in service report their utilisation for the minute just ended. */
        {
            fc_group_info info;
            TRY(fc_group_get_info(&group, &info));
            in_service = info.in_service;
        }
        if (in_service > 0 && steps > 0) {
            uint64_t milli = (uint64_t)load * 100000u / ((uint64_t)in_service * MEMBER_CAPACITY);
            if (milli > 100000u) {
                milli = 100000u;
            }
            TRY(fc_group_record_in_service(&group, now - STEP_MS / 2, cpu, (int64_t)milli,
                                           &reporting));
        }
        if (in_service > peak) {
            peak = in_service;
        }

        /* The group's decisions, carried out at once (launches boot later). */
        TRY(fc_group_tick(&group, now, actions, ACTIONS, &n));
        for (i = 0; i < n; i++) {
            fc_group_event e;
            memset(&e, 0, sizeof e);
            e.id = actions[i].id;
            if (actions[i].kind == FC_GROUP_ACTION_KIND_LAUNCH && nbooting < FC_GROUP_MAX_MEMBERS) {
                booting[nbooting].id = actions[i].id;
                booting[nbooting].ready_ms = now + BOOT_STEPS * STEP_MS;
                nbooting++;
                launches++;
            } else if (actions[i].kind == FC_GROUP_ACTION_KIND_TERMINATE) {
                e.kind = FC_GROUP_EVENT_KIND_TERMINATED;
                TRY(fc_group_observe(&group, now, &e));
                terminations++;
            }
        }
        steps++;
    }
    fclose(f);
    if (row < 0) {
        fprintf(stderr, "trace_group: malformed row %" PRIu64 " in %s\n", steps + 2, argv[1]);
        return 1;
    }

    TRY(fc_group_settle(&group, now, &spend));
    printf("summary: steps=%" PRIu64 " launches=%" PRIu64 " terminations=%" PRIu64
           " peak=%u cost_micros=%" PRIu64 "\n",
           steps, launches, terminations, (unsigned)peak, spend.total_micros);
    printf("cost: %" PRIu64 ".%06" PRIu64 " for %" PRIu64 " member-seconds\n",
           spend.total_micros / 1000000u, spend.total_micros % 1000000u, spend.on_demand_secs);
    return 0;
}
