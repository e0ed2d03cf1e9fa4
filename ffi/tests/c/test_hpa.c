/*
 * The Kubernetes HPA algorithm through the fleetcore C ABI, with the generated header only:
 * fc_hpa_desired_replicas (the figures the core's own tests assert, from upstream
 * replica_calculator.go), behaviours (defaults and the upstream validation), the
 * fc_hpa_autoscaler (legacy rules and behaviours: stabilisation and rate policies), a group
 * policy with a custom behaviour (fc_group_put_hpa_policy), fc_hpa_autoscaler_reconcile over
 * several metrics with pod-level inputs (cases of upstream replica_calculator_test.go) and the
 * conditions it leaves (fc_hpa_condition), and the status of every bad call.
 * Built with -std=c11 -Wall -Wextra -Werror -pedantic, run under ASan/UBSan and Valgrind. The
 * last line of output is "N passed, N failed".
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

_Static_assert(sizeof(fc_hpa_autoscaler) == FC_HPA_AUTOSCALER_SIZE, "FC_HPA_AUTOSCALER_SIZE");
_Static_assert(_Alignof(fc_hpa_autoscaler) == 8, "8-byte aligned");

static fc_hpa_autoscaler autoscaler;
static fc_hpa_autoscaler before;
static fc_hpa_autoscaler never_initialised;
static fc_group group;
static fc_member_metric many[FC_HPA_MAX_MEMBERS + 1];

static fc_member_metric ready(int64_t value) {
    fc_member_metric m;
    m.state = FC_MEMBER_METRIC_STATE_READY;
    m.value_milli = value * 1000;
    return m;
}

static fc_member_metric other(uint32_t state) {
    fc_member_metric m;
    m.state = state;
    m.value_milli = 123456; /* ignored */
    return m;
}

static uint32_t desired(uint32_t current, const fc_member_metric *m, size_t n, int64_t target) {
    uint32_t out = 0xdead;
    OK(fc_hpa_desired_replicas(current, m, n, target * 1000, &out));
    return out;
}

static void test_desired_replicas(void) {
    fc_member_metric m[4];
    uint32_t out = 0xdead;
    size_t i;
    m[0] = m[1] = m[2] = m[3] = ready(80);
    CHECK(desired(4, m, 4, 50) == 7); /* 6.4 -> 7 */
    m[0] = m[1] = ready(52);
    CHECK(desired(2, m, 2, 50) == 2); /* 1.04 is within the 0.1 tolerance */
    m[0] = m[1] = ready(56);
    CHECK(desired(2, m, 2, 50) == 3); /* 1.12 is not */
    m[0] = m[1] = m[2] = m[3] = ready(10);
    CHECK(desired(4, m, 4, 50) == 1);
    CHECK(desired(3, NULL, 0, 50) == 3); /* no metrics: no change */
    /* Missing members: 0 % scaling up, max(100 %, target) scaling down (issue 17, defect 4). */
    m[0] = m[1] = ready(100);
    m[2] = m[3] = other(FC_MEMBER_METRIC_STATE_MISSING);
    CHECK(desired(4, m, 4, 50) == 4);
    m[0] = m[1] = ready(10);
    CHECK(desired(4, m, 4, 50) == 4); /* (20 + 200) / 4 = 55 % of 50 %: the direction reverses */
    m[2] = ready(10);
    CHECK(desired(4, m, 4, 50) == 3); /* (30 + 100) / 4 = 32 %: 0.64 x 4 = 2.56 -> 3 */
    /* Unready members: 0 % scaling up, left out scaling down. */
    m[0] = m[1] = ready(150);
    m[2] = m[3] = other(FC_MEMBER_METRIC_STATE_UNREADY);
    CHECK(desired(4, m, 4, 50) == 6);
    m[0] = m[1] = ready(10);
    CHECK(desired(4, m, 4, 50) == 1);

    /* Errors: nothing written. */
    m[2] = other(7);
    EXPECT(fc_hpa_desired_replicas(4, m, 4, 50000, &out), FC_STATUS_INVALID_ENUM_VALUE);
    m[2] = ready(10);
    EXPECT(fc_hpa_desired_replicas(4, m, 4, 0, &out), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_hpa_desired_replicas(4, m, 4, -50000, &out), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_hpa_desired_replicas(4, NULL, 4, 50000, &out), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_hpa_desired_replicas(4, m, 4, 50000, NULL), FC_STATUS_NULL_ARGUMENT);
    for (i = 0; i < FC_HPA_MAX_MEMBERS + 1; i++) {
        many[i] = ready(60);
    }
    EXPECT(fc_hpa_desired_replicas(4, many, FC_HPA_MAX_MEMBERS + 1, 50000, &out),
           FC_STATUS_INVALID_ARGUMENT);
    CHECK(out == 0xdead);
    OK(fc_hpa_desired_replicas(FC_HPA_MAX_MEMBERS, many, FC_HPA_MAX_MEMBERS, 50000, &out));
    CHECK(out == 308); /* 256 x 60 / 50 = 307.2 */
}

static void test_behaviors(void) {
    fc_hpa_behavior b, d;
    EXPECT(fc_hpa_behavior_default(NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_hpa_behavior_default(&d));
    CHECK(d.scale_up.stabilization_ms == 0 && d.scale_up.select == FC_HPA_SELECT_MAX);
    CHECK(d.scale_up.policy_count == 2);
    CHECK(d.scale_up.policies[0].kind == FC_HPA_POLICY_KIND_PODS &&
          d.scale_up.policies[0].value == 4 && d.scale_up.policies[0].period_ms == 15000);
    CHECK(d.scale_up.policies[1].kind == FC_HPA_POLICY_KIND_PERCENT &&
          d.scale_up.policies[1].value == 100 && d.scale_up.policies[1].period_ms == 15000);
    CHECK(d.scale_down.stabilization_ms == 300000 && d.scale_down.policy_count == 1);
    CHECK(d.scale_down.policies[0].kind == FC_HPA_POLICY_KIND_PERCENT);
    OK(fc_hpa_behavior_check(&d));

    b = d;
    b.scale_down.stabilization_ms = 3600000;
    OK(fc_hpa_behavior_check(&b));
    b.scale_down.stabilization_ms = 3600001;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    b = d;
    b.scale_up.policy_count = 5;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    b = d;
    b.scale_up.policy_count = 0;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    b.scale_up.select = FC_HPA_SELECT_DISABLED;
    OK(fc_hpa_behavior_check(&b));
    b = d;
    b.scale_up.select = 9;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_ENUM_VALUE);
    b = d;
    b.scale_down.policies[0].kind = 9;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_ENUM_VALUE);
    b = d;
    b.scale_up.policies[1].value = 0;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    b = d;
    b.scale_up.policies[0].period_ms = 999;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    b.scale_up.policies[0].period_ms = 1800001;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
    EXPECT(fc_hpa_behavior_check(NULL), FC_STATUS_NULL_ARGUMENT);
    /* Kubernetes 1.33 tolerances: -1 is the controller's default; others must be >= 0. */
    CHECK(d.scale_up.tolerance_milli == -1 && d.scale_down.tolerance_milli == -1);
    b = d;
    b.scale_up.tolerance_milli = 50;
    OK(fc_hpa_behavior_check(&b));
    b.scale_up.tolerance_milli = -2;
    EXPECT(fc_hpa_behavior_check(&b), FC_STATUS_INVALID_BEHAVIOR);
}

/* The legacy scale-up limit as a parameter (horizontal.go calculateScaleUpLimit: factor 2,
 * minimum 4 in production). */
static void test_controller(void) {
    fc_hpa_controller c;
    uint32_t out = 0xdead;
    OK(fc_hpa_controller_default(&c));
    CHECK(c.tolerance_milli == 100 && c.scale_up_limit_factor_milli == 2000);
    CHECK(c.scale_up_limit_minimum == 4 && c.downscale_stabilization_ms == 300000);
    OK(fc_hpa_autoscaler_init_with(&autoscaler, NULL, NULL));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, 0, 5, 100, 1, 100, &out));
    CHECK(out == 10);
    c.scale_up_limit_factor_milli = 3000;
    OK(fc_hpa_autoscaler_init_with(&autoscaler, NULL, &c));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, 0, 5, 100, 1, 100, &out));
    CHECK(out == 15);
    c.tolerance_milli = -1;
    EXPECT(fc_hpa_autoscaler_init_with(&autoscaler, NULL, &c), FC_STATUS_INVALID_BEHAVIOR);
    EXPECT(fc_hpa_controller_default(NULL), FC_STATUS_NULL_ARGUMENT);
}

static uint32_t normalize(uint64_t t_s, uint32_t current, uint32_t want, uint32_t min,
                          uint32_t max) {
    uint32_t out = 0xdead;
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t_s * 1000, current, want, min, max, &out));
    return out;
}

static void test_autoscaler(void) {
    fc_hpa_behavior b;
    uint32_t out = 0xdead;

    /* Legacy rules: scale-up at most max(2 x current, 4); scale-down held for 300 s. */
    OK(fc_hpa_autoscaler_init(&autoscaler, NULL));
    CHECK(normalize(0, 1, 20, 1, 100) == 4);
    CHECK(normalize(15, 10, 50, 1, 100) == 20);
    OK(fc_hpa_autoscaler_init(&autoscaler, NULL));
    CHECK(normalize(0, 10, 10, 1, 100) == 10);
    CHECK(normalize(60, 10, 2, 1, 100) == 10);
    CHECK(normalize(300, 10, 2, 1, 100) == 10); /* the sample at the cutoff still counts */
    CHECK(normalize(301, 10, 2, 1, 100) == 2);
    CHECK(normalize(302, 2, 0, 3, 100) == 3); /* held at 2, then clamped to min 3 */

    /* The default behaviour: up by the most of 4 pods or 100 % per 15 s. */
    OK(fc_hpa_behavior_default(&b));
    OK(fc_hpa_autoscaler_init(&autoscaler, &b));
    CHECK(normalize(0, 2, 20, 1, 100) == 6);
    CHECK(normalize(5, 6, 20, 1, 100) == 6); /* the 4 pods of this period are used */
    CHECK(normalize(15, 6, 20, 1, 100) == 12);
    /* Scale-down disabled: never below current. */
    b.scale_down.select = FC_HPA_SELECT_DISABLED;
    OK(fc_hpa_autoscaler_init(&autoscaler, &b));
    CHECK(normalize(0, 10, 2, 1, 100) == 10);
    CHECK(normalize(1000, 10, 2, 1, 100) == 10);

    /* Errors: nothing written, nothing recorded (the autoscaler then answers as its copy from
     * before does; its bytes hold Rust padding, so they are not compared). */
    memcpy(&before, &autoscaler, sizeof before);
    EXPECT(fc_hpa_autoscaler_normalize(&autoscaler, 2000000, 10, 2, 5, 4, &out),
           FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_hpa_autoscaler_normalize(&autoscaler, 2000000, 10, 2, 1, 4, NULL),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_hpa_autoscaler_normalize(NULL, 2000000, 10, 2, 1, 4, &out),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_hpa_autoscaler_normalize(&never_initialised, 0, 10, 2, 1, 4, &out),
           FC_STATUS_UNINITIALIZED);
    CHECK(out == 0xdead);
    {
        uint32_t a = 1, c = 2;
        OK(fc_hpa_autoscaler_normalize(&autoscaler, 1001000, 10, 2, 1, 100, &a));
        OK(fc_hpa_autoscaler_normalize(&before, 1001000, 10, 2, 1, 100, &c));
        CHECK(a == c && a == 10);
    }
    /* A failed init leaves the storage alone. */
    memset(&autoscaler, 0x5a, sizeof autoscaler);
    b.scale_up.policy_count = 9;
    EXPECT(fc_hpa_autoscaler_init(&autoscaler, &b), FC_STATUS_INVALID_BEHAVIOR);
    b.scale_up.policy_count = 2;
    b.scale_up.select = 9;
    EXPECT(fc_hpa_autoscaler_init(&autoscaler, &b), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_hpa_autoscaler_init(NULL, NULL), FC_STATUS_NULL_ARGUMENT);
    {
        const unsigned char *p = (const unsigned char *)&autoscaler;
        size_t i, same = 0;
        for (i = 0; i < sizeof autoscaler; i++) {
            same += p[i] == 0x5a;
        }
        CHECK(same == sizeof autoscaler);
    }
    EXPECT(fc_hpa_autoscaler_normalize(&autoscaler, 0, 10, 2, 1, 4, &out),
           FC_STATUS_UNINITIALIZED);
}

static void test_group_policy(void) {
    fc_group_config c;
    fc_target_tracking_policy p;
    fc_hpa_behavior b;
    uint8_t cpu = 9, queue = 9, index = 9;

    OK(fc_group_config_default(&c));
    c.min_size = 1;
    c.max_size = 8;
    c.zones = "a";
    c.template_id = "lt-0123456789abcdef0";
    OK(fc_group_init(&group, &c));
    OK(fc_group_put_metric(&group, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &cpu));
    OK(fc_group_put_metric(&group, "queue", 60000, FC_METRIC_SOURCE_GROUP, &queue));
    memset(&p, 0, sizeof p);
    p.metric = cpu;
    p.target_milli = 50000;
    p.warmup_ms = -1;
    p.hpa = 77; /* ignored by fc_group_put_hpa_policy */
    OK(fc_hpa_behavior_default(&b));
    b.scale_up.policies[0].value = 1;

    EXPECT(fc_group_put_hpa_policy(&group, &p, NULL, NULL), FC_STATUS_NULL_ARGUMENT);
    b.scale_up.policies[1].period_ms = 0;
    EXPECT(fc_group_put_hpa_policy(&group, &p, &b, &index), FC_STATUS_INVALID_BEHAVIOR);
    b.scale_up.policies[1].period_ms = 15000;
    p.metric = queue;
    EXPECT(fc_group_put_hpa_policy(&group, &p, &b, &index), FC_STATUS_INVALID_TARGET_TRACKING);
    p.metric = 3;
    EXPECT(fc_group_put_hpa_policy(&group, &p, &b, &index), FC_STATUS_UNKNOWN_METRIC);
    p.metric = cpu;
    p.target_milli = 0;
    EXPECT(fc_group_put_hpa_policy(&group, &p, &b, &index), FC_STATUS_INVALID_TARGET_TRACKING);
    p.target_milli = 50000;
    EXPECT(fc_group_put_hpa_policy(&group, NULL, &b, &index), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_put_hpa_policy(NULL, &p, &b, &index), FC_STATUS_NULL_ARGUMENT);
    CHECK(index == 9);
    OK(fc_group_put_hpa_policy(&group, &p, &b, &index));
    CHECK(index == 0);
    EXPECT(fc_group_put_hpa_policy(&group, &p, NULL, &index), FC_STATUS_HPA_TAKEN);
    /* Legacy rules (no behaviour) on a fresh group. */
    OK(fc_group_init(&group, &c));
    OK(fc_group_put_metric(&group, "cpu", 60000, FC_METRIC_SOURCE_MEMBERS, &cpu));
    OK(fc_group_put_hpa_policy(&group, &p, NULL, &index));
    CHECK(index == 0);
}

/* A pod of upstream's replica_calculator_test.go fixture: Running, Ready as given (last
 * transition at the zero time), started at the zero time, `usage` millicores of a 1-core request
 * sampled at the zero time over a minute; usage -1: no sample. */
static fc_hpa_pod pod(int32_t ready, int64_t usage) {
    fc_hpa_pod p;
    memset(&p, 0, sizeof p);
    p.phase = 1;
    p.ready = ready;
    p.start_ms = 0;
    p.usage_milli = usage < 0 ? INT64_MIN : usage;
    p.window_ms = 60000;
    p.request_milli = 1000;
    return p;
}

static fc_hpa_metric cpu_utilization(const fc_hpa_pod *pods, size_t n, int64_t percent) {
    fc_hpa_metric m;
    memset(&m, 0, sizeof m);
    m.kind = 0;
    m.target_type = 0;
    m.target = percent;
    m.cpu = true;
    m.pods = pods;
    m.pod_count = n;
    m.value_milli = INT64_MIN;
    return m;
}

static const uint64_t NOW_MS = 2ull * 86400 * 1000;

/* A fresh autoscaler whose behaviour lets any count through (1000 pods per second, no
 * windows), so a run returns the metrics' proposal; controller settings `c` (NULL: defaults). */
static uint32_t propose_with(uint32_t current, const fc_hpa_metric *m, size_t n,
                             const fc_hpa_controller *c) {
    fc_hpa_behavior b;
    uint32_t out = 0xdead;
    OK(fc_hpa_behavior_default(&b));
    b.scale_up.stabilization_ms = b.scale_down.stabilization_ms = 0;
    b.scale_up.policy_count = b.scale_down.policy_count = 1;
    b.scale_up.policies[0].kind = b.scale_down.policies[0].kind = FC_HPA_POLICY_KIND_PODS;
    b.scale_up.policies[0].value = b.scale_down.policies[0].value = 1000;
    b.scale_up.policies[0].period_ms = b.scale_down.policies[0].period_ms = 1000;
    OK(fc_hpa_autoscaler_init_with(&autoscaler, &b, c));
    OK(fc_hpa_autoscaler_reconcile(&autoscaler, NOW_MS, current, current, current, 1, 1000, m,
                                   n, &out));
    return out;
}

static uint32_t propose(uint32_t current, const fc_hpa_metric *m, size_t n) {
    return propose_with(current, m, n, NULL);
}

/* The controller's readiness settings reach the pod grouping. Upstream's
 * TestReplicaCalcScaleUpHotCpuLessScale (replica_calculator_test.go) runs its calculator with
 * defaultTestingCPUInitializationPeriod 2 min and defaultTestingDelayOfInitialReadinessStatus
 * 10 s: of pods at 300, 500, 700 millicores (30 % target), the one started now is unready and
 * the two started 3 min ago (past 2 min) count, 3 -> 4. With the production 5 min, those two
 * are still initializing and their samples (older than a window after the transition) do not
 * count either: no ready pod, the metric fails and nothing changes. */
static void test_readiness(void) {
    fc_hpa_pod p[3];
    fc_hpa_metric m;
    fc_hpa_controller c;
    OK(fc_hpa_controller_default(&c));
    CHECK(c.cpu_initialization_period_ms == 300000 && c.initial_readiness_delay_ms == 30000);
    p[0] = pod(1, 300);
    p[1] = pod(1, 500);
    p[2] = pod(1, 700);
    p[0].start_ms = NOW_MS;
    p[1].start_ms = p[2].start_ms = NOW_MS - 180000;
    m = cpu_utilization(p, 3, 30);
    c.cpu_initialization_period_ms = 120000;
    c.initial_readiness_delay_ms = 10000;
    CHECK(propose_with(3, &m, 1, &c) == 4);
    CHECK(propose_with(3, &m, 1, NULL) == 3);
    c.cpu_initialization_period_ms = 300000;
    CHECK(propose_with(3, &m, 1, &c) == 3);
}

/* The scale-event and recommendation logs, in upstream's order with its outdated marks, as
 * TestStoreScaleEvents (horizontal_test.go) case "replace one entry, use policies with different
 * periods" leaves them: before a new event is stored, those older than the longest policy
 * period (60 s here) are marked outdated and the new one takes the last outdated slot; the
 * other stays marked. Events come from normalize calls 62, 61 and 59 s before now (+9, +7,
 * +6) and now (+5). */
static void test_logs(void) {
    fc_hpa_behavior b;
    fc_hpa_scale_event ev[4];
    fc_hpa_recommendation rec[4];
    size_t len = 99;
    uint32_t out = 0;
    const uint64_t t = NOW_MS;
    OK(fc_hpa_behavior_default(&b));
    b.scale_up.policy_count = 1;
    b.scale_up.policies[0].kind = FC_HPA_POLICY_KIND_PODS;
    b.scale_up.policies[0].value = 1000;
    b.scale_up.policies[0].period_ms = 60000;
    OK(fc_hpa_autoscaler_init(&autoscaler, &b));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t - 62000, 10, 19, 1, 100, &out));
    CHECK(out == 19);
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t - 61000, 19, 26, 1, 100, &out));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t - 59000, 26, 32, 1, 100, &out));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t, 32, 37, 1, 100, &out));
    CHECK(out == 37);
    OK(fc_hpa_scale_event_log(&autoscaler, true, ev, 4, &len));
    CHECK(len == 3);
    CHECK(ev[0].at_ms == t - 62000 && ev[0].replica_change == 9 && ev[0].outdated);
    CHECK(ev[1].at_ms == t && ev[1].replica_change == 5 && !ev[1].outdated);
    CHECK(ev[2].at_ms == t - 59000 && ev[2].replica_change == 6 && !ev[2].outdated);
    OK(fc_hpa_scale_event_log(&autoscaler, false, NULL, 0, &len));
    CHECK(len == 0);
    /* Every recommendation is within the 300 s scale-down window: all kept, in order. */
    OK(fc_hpa_recommendation_log(&autoscaler, rec, 4, &len));
    CHECK(len == 4);
    CHECK(rec[0].at_ms == t - 62000 && rec[0].replicas == 19);
    CHECK(rec[3].at_ms == t && rec[3].replicas == 37);

    /* Too small: nothing written, the number needed in *out_len. */
    memset(ev, 0, sizeof ev);
    len = 0;
    EXPECT(fc_hpa_scale_event_log(&autoscaler, true, ev, 2, &len), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3 && ev[0].at_ms == 0);
    EXPECT(fc_hpa_scale_event_log(&autoscaler, true, NULL, 0, &len), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 3);
    EXPECT(fc_hpa_recommendation_log(&autoscaler, rec, 3, &len), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(len == 4);
    EXPECT(fc_hpa_recommendation_log(&autoscaler, NULL, 4, &len), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_hpa_recommendation_log(&autoscaler, rec, 4, NULL), FC_STATUS_NULL_ARGUMENT);

    /* The legacy rules store no scale event upstream. */
    OK(fc_hpa_autoscaler_init(&autoscaler, NULL));
    OK(fc_hpa_autoscaler_normalize(&autoscaler, t, 2, 4, 1, 100, &out));
    OK(fc_hpa_scale_event_log(&autoscaler, true, ev, 4, &len));
    CHECK(len == 0);
    OK(fc_hpa_recommendation_log(&autoscaler, rec, 4, &len));
    CHECK(len == 1 && rec[0].replicas == 4);
}

static void test_reconcile(void) {
    fc_hpa_pod p[4];
    fc_hpa_metric m[2];
    bool status = false;
    const char *why = NULL;
    uint32_t out = 0xdead;

    /* TestReplicaCalcScaleUpUnreadyLessScale: one unready pod of three, 3 -> 4. */
    p[0] = pod(0, 300);
    p[1] = pod(1, 500);
    p[2] = pod(1, 700);
    m[0] = cpu_utilization(p, 3, 30);
    CHECK(propose(3, m, 1) == 4);
    OK(fc_hpa_condition(&autoscaler, 1, &status, &why));
    CHECK(status && strcmp(why, "ValidMetricFound") == 0);
    /* TestReplicaCalcContainerScaleUp: the same pods as container2's usage and request. */
    p[0] = pod(1, 300);
    m[0].kind = 1;
    CHECK(propose(3, m, 1) == 5);
    /* TestReplicaCalcScaleUpIgnoresFailedPods / ...IgnoresDeletionPods: 2 -> 4. */
    p[0] = pod(1, 500);
    p[1] = pod(1, 700);
    p[2] = pod(0, -1);
    p[3] = pod(0, -1);
    p[2].phase = 3; /* Failed */
    p[3].phase = 5; /* being deleted */
    m[0] = cpu_utilization(p, 4, 30);
    CHECK(propose(2, m, 1) == 4);
    p[2].phase = p[3].phase = 1; /* counted as missing instead: 60 % becomes 30 %, no change */
    CHECK(propose(2, m, 1) == 2);
    /* Several metrics: an External Value metric (30 of 10 per ready pod: 6) beats 4. */
    p[2].phase = 3;
    p[3].phase = 5;
    memset(&m[1], 0, sizeof m[1]);
    m[1].kind = 4;
    m[1].target_type = 2;
    m[1].target = 10000;
    m[1].value_milli = 30000;
    CHECK(propose(2, m, 2) == 6);
    /* A failing metric (an Object not read) blocks a scale-down. */
    p[0] = pod(1, 100);
    p[1] = pod(1, 100);
    m[1].kind = 3;
    m[1].value_milli = INT64_MIN;
    CHECK(propose(2, m, 2) == 2);
    OK(fc_hpa_condition(&autoscaler, 1, &status, &why));
    CHECK(!status && strcmp(why, "FailedGetObjectMetric") == 0);
    CHECK(propose(2, m, 1) == 1); /* alone, the CPU metric scales down */

    /* Errors: nothing written. */
    OK(fc_hpa_autoscaler_init(&autoscaler, NULL));
    OK(fc_hpa_condition(&autoscaler, 0, &status, &why));
    CHECK(!status && strcmp(why, "") == 0); /* before any run */
    EXPECT(fc_hpa_condition(&autoscaler, 3, &status, &why), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_hpa_autoscaler_reconcile(&autoscaler, NOW_MS, 2, 2, 2, 5, 4, m, 1, &out),
           FC_STATUS_INVALID_ARGUMENT);
    p[0].phase = 6;
    EXPECT(fc_hpa_autoscaler_reconcile(&autoscaler, NOW_MS, 2, 2, 2, 1, 10, m, 1, &out),
           FC_STATUS_INVALID_ENUM_VALUE);
    p[0].phase = 1;
    m[0].kind = 2; /* Pods with a Utilization target */
    EXPECT(fc_hpa_autoscaler_reconcile(&autoscaler, NOW_MS, 2, 2, 2, 1, 10, m, 1, &out),
           FC_STATUS_INVALID_TARGET_TRACKING);
    EXPECT(fc_hpa_autoscaler_reconcile(&autoscaler, NOW_MS, 2, 2, 2, 1, 10, NULL, 1, &out),
           FC_STATUS_NULL_ARGUMENT);
    CHECK(out == 0xdead);
}

int main(void) {
    CHECK(FC_HPA_MAX_POLICIES == 4);
    test_desired_replicas();
    test_behaviors();
    test_autoscaler();
    test_controller();
    test_group_policy();
    test_reconcile();
    test_readiness();
    test_logs();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
