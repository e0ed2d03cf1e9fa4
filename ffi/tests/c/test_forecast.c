/*
 * The predictive-scaling forecaster through the fleetcore C ABI (SEMANTICS §3.7), with the
 * generated header only: the one-shot fc_forecast (Python's fleetcore.forecast) and the
 * caller-owned fc_forecaster, checked against figures the core's own tests assert and, line by
 * line, against the forecasts the Rust side computes through the core (the "golden forecast_run: " lines,
 * compared by scripts/c-tests.sh with ffi/tests/golden/forecast_run.txt, which
 * ffi/tests/forecast_golden.rs checks too), and the status of every bad call. Built with
 * -std=c11 -Wall -Wextra -Werror -pedantic, run under ASan/UBSan and Valgrind. The last line of
 * output is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

_Static_assert(sizeof(fc_forecaster) == FC_FORECASTER_SIZE, "FC_FORECASTER_SIZE bytes");
_Static_assert(_Alignof(fc_forecaster) == 8, "8-byte aligned");

static const uint64_t HOUR_MS = 3600000u;

static fc_forecaster forecaster;
static fc_forecaster copy;
static fc_forecaster never_initialised;
static int64_t history[400];

/* The history of the core's own plan tests: 1000 + 100 x (hour of day), every day alike, in
 * thousandths. */
static void simple_history(size_t hours) {
    size_t h;
    for (h = 0; h < hours; h++) {
        history[h] = (int64_t)(1000 + 100 * (h % 24)) * 1000;
    }
}

static void test_one_shot_figures(void) {
    int64_t out[48];
    simple_history(72);
    OK(fc_forecast(history, 72, 6, out, 48));
    CHECK(out[5] == 1500000); /* a day that repeats is forecast exactly */
    simple_history(336);
    OK(fc_forecast(history, 336, 48, out, 48));
    CHECK(out[5] == 1500000 && out[23] == 3300000);
    simple_history(24);
    OK(fc_forecast(history, 24, 1, out, 1));
    CHECK(out[0] != FC_FORECAST_NONE);
}

static void test_one_shot_errors(void) {
    int64_t out[48];
    size_t i;
    simple_history(48);
    for (i = 0; i < 48; i++) {
        out[i] = 7;
    }
    EXPECT(fc_forecast(history, 48, 0, out, 48), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_forecast(history, 48, 49, out, 48), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_forecast(history, 23, 4, out, 48), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_forecast(history, 48, 4, out, 3), FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_forecast(NULL, 48, 4, out, 48), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecast(NULL, 0, 4, out, 48), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_forecast(history, 48, 4, NULL, 48), FC_STATUS_NULL_ARGUMENT);
    for (i = 0; i < 48; i++) {
        CHECK(out[i] == 7);
    }
}

/* The LCG and load of ffi/tests/forecast_golden.rs. */
static uint64_t lcg;

static int64_t draw(void) {
    lcg = (lcg * 1103515245u + 12345u) % (1u << 31);
    return (int64_t)(lcg % 5000u);
}

static int64_t load(uint64_t h) {
    int64_t hod = (int64_t)(h % 24);
    return 1000 * hod * hod + draw() + ((h / 24) % 7 == 0 ? 40000 : 0);
}

static void show(const char *what, uint64_t i, int64_t v) {
    if (v == FC_FORECAST_NONE) {
        printf("golden forecast_run: %s %" PRIu64 " none\n", what, i);
    } else {
        printf("golden forecast_run: %s %" PRIu64 " %" PRId64 "\n", what, i, v);
    }
}

static void test_golden(void) {
    int64_t out[48], keep[48];
    uint64_t h, first = 99;
    size_t i, written = 99;
    bool refreshed = false;
    int64_t v;
    unsigned m;

    lcg = 7;
    for (h = 0; h < 400; h++) {
        history[h] = load(h);
    }
    OK(fc_forecast(history, 400, 48, out, 48));
    for (i = 0; i < 48; i++) {
        show("one-shot", i, out[i]);
    }

    /* The same hours, streamed into an fc_forecaster (three samples an hour). */
    lcg = 7;
    OK(fc_forecaster_init(&forecaster));
    OK(fc_forecaster_forecast_48h(&forecaster, out, 48, &first, &written));
    CHECK(written == 0 && first == 0);
    for (h = 0; h < 200; h++) {
        for (m = 0; m < 60; m += 20) {
            OK(fc_forecaster_record(&forecaster, h * HOUR_MS + m * 60000u, load(h)));
        }
        if (h == 22) {
            OK(fc_forecaster_refresh(&forecaster, 23 * HOUR_MS, &refreshed));
            CHECK(!refreshed); /* 23 hours: too little history */
            OK(fc_forecaster_forecast(&forecaster, 23, &v));
            CHECK(v == FC_FORECAST_NONE);
        }
    }
    OK(fc_forecaster_refresh(&forecaster, 200 * HOUR_MS, &refreshed));
    CHECK(refreshed);
    OK(fc_forecaster_refresh(&forecaster, 205 * HOUR_MS, &refreshed));
    CHECK(!refreshed); /* every 6 hours */
    OK(fc_forecaster_forecast_48h(&forecaster, out, 48, &first, &written));
    CHECK(first == 200 && written == 48);
    for (i = 0; i < written; i++) {
        show("stream", first + i, out[i]);
    }
    OK(fc_forecaster_forecast(&forecaster, 260, &v));
    show("stream", 260, v);
    OK(fc_forecaster_forecast(&forecaster, 205, &v));
    CHECK(v == out[5]);

    /* A copy is a forecaster too. */
    memcpy(&copy, &forecaster, sizeof copy);
    memcpy(keep, out, sizeof keep);
    OK(fc_forecaster_forecast_48h(&copy, out, 48, &first, &written));
    CHECK(memcmp(keep, out, sizeof keep) == 0);
}

static void test_forecaster_errors(void) {
    int64_t out[48], v = 7;
    uint64_t first = 7;
    size_t written = 7;
    bool refreshed = false;
    size_t i;
    for (i = 0; i < 48; i++) {
        out[i] = 7;
    }
    EXPECT(fc_forecaster_init(NULL), FC_STATUS_NULL_ARGUMENT);
    /* An hour before the newest kept is refused, and nothing changes: the forecaster still
     * forecasts what its copy from before does (its bytes hold Rust padding, which Valgrind
     * rightly reports as uninitialised, so they are not compared). */
    memcpy(&copy, &forecaster, sizeof copy);
    EXPECT(fc_forecaster_record(&forecaster, 150 * HOUR_MS, 5), FC_STATUS_SAMPLE_TOO_OLD);
    {
        int64_t a = 1, b = 2;
        uint64_t h;
        for (h = 150; h < 260; h += 7) {
            OK(fc_forecaster_forecast(&forecaster, h, &a));
            OK(fc_forecaster_forecast(&copy, h, &b));
            CHECK(a == b);
        }
    }
    EXPECT(fc_forecaster_record(NULL, 0, 5), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_record(&never_initialised, 0, 5), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_forecaster_refresh(&forecaster, 300 * HOUR_MS, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_refresh(NULL, 300 * HOUR_MS, &refreshed), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_refresh(&never_initialised, 0, &refreshed), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_forecaster_forecast(&forecaster, 210, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_forecast(NULL, 210, &v), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_forecast(&never_initialised, 210, &v), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_forecaster_forecast_48h(&forecaster, out, 47, &first, &written),
           FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_forecaster_forecast_48h(&forecaster, NULL, 48, &first, &written),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_forecast_48h(&forecaster, out, 48, NULL, &written),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_forecast_48h(&forecaster, out, 48, &first, NULL),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_forecaster_forecast_48h(&never_initialised, out, 48, &first, &written),
           FC_STATUS_UNINITIALIZED);
    CHECK(v == 7 && first == 7 && written == 7 && !refreshed);
    for (i = 0; i < 48; i++) {
        CHECK(out[i] == 7);
    }
}

int main(void) {
    CHECK(FC_FORECAST_HORIZON_HOURS == 48 && FC_FORECAST_HISTORY_HOURS == 336);
    CHECK(FC_FORECAST_MIN_HISTORY_HOURS == 24 && FC_FORECAST_NONE == INT64_MIN);
    test_one_shot_figures();
    test_one_shot_errors();
    test_golden();
    test_forecaster_errors();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
