/*
 * The fleetcore C ABI through the generated header: the instance lifecycle, billing, deadlines,
 * and every kind of bad argument. Built by scripts/c-tests.sh with
 * -std=c11 -Wall -Wextra -Werror -pedantic, run under ASan/UBSan (staticlib) and Valgrind
 * (cdylib). The last line of output is "N passed, N failed"; the exit status is 0 only if
 * nothing failed.
 */
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

static const char *const AMI = "ami-0123456789abcdef0";
static const char *const TYPE = "t4g.micro";

/* The layout promises of the header. */
_Static_assert(sizeof(fc_fleet) == FC_FLEET_SIZE, "fc_fleet is FC_FLEET_SIZE bytes");
_Static_assert(_Alignof(fc_fleet) == 8, "fc_fleet is 8-byte aligned");
_Static_assert(sizeof(fc_status) == 4, "fc_status is a uint32_t");

static uint32_t state_of(const fc_fleet *fleet, const fc_instance_id *id) {
    uint32_t code = 0xFFFFFFFFu;
    OK(fc_fleet_state(fleet, id, &code));
    return code;
}

static void test_status_strings(void) {
    CHECK(strcmp(status_text(FC_STATUS_OK), "ok") == 0);
    CHECK(strcmp(status_text(FC_STATUS_NULL_ARGUMENT), "a pointer argument is null") == 0);
    CHECK(strcmp(status_text(FC_STATUS_INCORRECT_STATE),
                 "instance i-00000000000000007 cannot be stopped as it has never reached the "
                 "running state") == 0);
    CHECK(strcmp(status_text(12345), "unknown status") == 0);
    CHECK(strcmp(status_text(0xFFFFFFFFu), "unknown status") == 0);
    CHECK(strlen(fc_version()) > 0);
}

static void test_state_names(void) {
    const char *name = NULL;
    uint32_t code = 0;
    OK(fc_instance_state_name(FC_INSTANCE_STATE_SHUTTING_DOWN, &name));
    CHECK(name != NULL && strcmp(name, "shutting-down") == 0);
    OK(fc_instance_state_from_name("stopping", &code));
    CHECK(code == FC_INSTANCE_STATE_STOPPING);

    name = "untouched";
    EXPECT(fc_instance_state_name(7, &name), FC_STATUS_INVALID_STATE_CODE);
    CHECK(strcmp(name, "untouched") == 0);
    EXPECT(fc_instance_state_name(16, NULL), FC_STATUS_NULL_ARGUMENT);
    code = 99;
    EXPECT(fc_instance_state_from_name("Running", &code), FC_STATUS_INVALID_STATE_NAME);
    EXPECT(fc_instance_state_from_name(NULL, &code), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_instance_state_from_name("\xff\xfe", &code), FC_STATUS_NOT_UTF8);
    CHECK(code == 99);
}

static void test_ids(void) {
    fc_instance_id id;
    char buf[FC_INSTANCE_ID_TEXT_SIZE];
    char small[19];
    size_t written = 0;

    OK(fc_instance_id_parse("i-0123456789abcdef0", &id));
    CHECK(id.len == 17);
    OK(fc_instance_id_format(&id, buf, sizeof buf, &written));
    CHECK(written == 19 && strcmp(buf, "i-0123456789abcdef0") == 0);

    /* Short buffer: nothing written, not even the count. */
    memset(small, '#', sizeof small);
    written = 777;
    EXPECT(fc_instance_id_format(&id, small, sizeof small, &written), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(written == 777 && small[0] == '#' && small[18] == '#');

    EXPECT(fc_instance_id_parse("ami-0123456789abcdef0", &id), FC_STATUS_ID_WRONG_PREFIX);
    EXPECT(fc_instance_id_parse("i-0123", &id), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_instance_id_parse("i-0123456789ABCDEF0", &id), FC_STATUS_ID_NOT_HEX);
    EXPECT(fc_instance_id_parse(NULL, &id), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_instance_id_parse("i-12345678", NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_instance_id_format(NULL, buf, sizeof buf, &written), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_instance_id_format(&id, NULL, 64, &written), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_instance_id_format(&id, buf, sizeof buf, NULL), FC_STATUS_NULL_ARGUMENT);

    /* A hand-made id is checked, not trusted. */
    id.len = 200;
    EXPECT(fc_instance_id_format(&id, buf, sizeof buf, &written), FC_STATUS_ID_BAD_LENGTH);
}

static void test_lifecycle_and_billing(void) {
    static fc_fleet fleet;
    fc_instance_id id;
    uint64_t billed = 0;

    OK(fc_fleet_init(&fleet, 42, 0));
    OK(fc_fleet_launch(&fleet, 0, AMI, TYPE, &id));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_PENDING);

    /* EC2 refuses to stop an instance that never ran. */
    EXPECT(fc_fleet_stop(&fleet, 1000, &id, false), FC_STATUS_INCORRECT_STATE);
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_PENDING);

    OK(fc_fleet_report(&fleet, 10000, &id, FC_REPORT_BOOTED));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_RUNNING);
    EXPECT(fc_fleet_report(&fleet, 11000, &id, FC_REPORT_BOOTED), FC_STATUS_INCORRECT_STATE);
    OK(fc_fleet_reboot(&fleet, 15000, &id));

    OK(fc_fleet_stop(&fleet, 30000, &id, false));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_STOPPING);
    OK(fc_fleet_report(&fleet, 35000, &id, FC_REPORT_POWERED_OFF));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_STOPPED);

    /* 20 s of running bills the 60 s minimum. */
    OK(fc_fleet_billed_ms(&fleet, 100000, &billed));
    CHECK(billed == 60000);

    OK(fc_fleet_start(&fleet, 200000, &id));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_PENDING);
    OK(fc_fleet_report(&fleet, 210000, &id, FC_REPORT_BOOTED));
    /* A second session pays its own minimum: 60 s + 60 s so far. */
    OK(fc_fleet_billed_ms(&fleet, 215000, &billed));
    CHECK(billed == 120000);
    OK(fc_fleet_stop(&fleet, 400000, &id, true));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_STOPPED);
    /* 190 s run: 60 s + 190 s. */
    OK(fc_fleet_billed_ms(&fleet, 500000, &billed));
    CHECK(billed == 250000);

    OK(fc_fleet_terminate(&fleet, 500000, &id));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_SHUTTING_DOWN);
    OK(fc_fleet_report(&fleet, 501000, &id, FC_REPORT_POWERED_OFF));
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_TERMINATED);
    EXPECT(fc_fleet_start(&fleet, 502000, &id), FC_STATUS_INCORRECT_STATE);
}

static void test_bad_arguments(void) {
    static fc_fleet fleet;
    static fc_fleet never_initialised;
    fc_instance_id id;
    fc_instance_id other;
    uint32_t code = 1234;
    uint64_t ms = 5678;
    bool has = false;

    OK(fc_fleet_init(&fleet, 7, 0));
    OK(fc_fleet_launch(&fleet, 0, AMI, TYPE, &id));

    /* NULL anywhere. */
    EXPECT(fc_fleet_init(NULL, 1, 0), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch(NULL, 0, AMI, TYPE, &other), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch(&fleet, 0, NULL, TYPE, &other), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch(&fleet, 0, AMI, NULL, &other), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch(&fleet, 0, AMI, TYPE, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_start(&fleet, 0, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_stop(NULL, 0, &id, false), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_state(&fleet, &id, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_billed_ms(&fleet, 0, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_tick(&fleet, 0, NULL, &has), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_next_deadline(&fleet, &ms, NULL), FC_STATUS_NULL_ARGUMENT);

    /* Values outside their enum. */
    EXPECT(fc_fleet_report(&fleet, 1, &id, 0), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_fleet_report(&fleet, 1, &id, 99), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_fleet_report_failed(&fleet, 1, &id, FC_STATE_REASON_NONE),
           FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_fleet_report(&fleet, 1, &id, FC_REPORT_SPOT_INTERRUPTION), FC_STATUS_NOT_SPOT);
    CHECK(state_of(&fleet, &id) == FC_INSTANCE_STATE_PENDING);

    /* Strings: not UTF-8, malformed, unknown. */
    EXPECT(fc_fleet_launch(&fleet, 0, AMI, "t4g.\xc3", &other), FC_STATUS_NOT_UTF8);
    EXPECT(fc_fleet_launch(&fleet, 0, "ami-123", TYPE, &other), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_fleet_launch(&fleet, 0, AMI, "T4G", &other), FC_STATUS_INVALID_TYPE_NAME);
    EXPECT(fc_fleet_launch(&fleet, 0, AMI, "t4g.mirco", &other), FC_STATUS_UNKNOWN_INSTANCE_TYPE);

    /* An id this fleet never issued. */
    OK(fc_instance_id_parse("i-0000000000000000f", &other));
    EXPECT(fc_fleet_state(&fleet, &other, &code), FC_STATUS_UNKNOWN_INSTANCE);

    /* Storage that fc_fleet_init never saw. */
    EXPECT(fc_fleet_state(&never_initialised, &id, &code), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_fleet_launch(&never_initialised, 0, AMI, TYPE, &other), FC_STATUS_UNINITIALIZED);

    /* Outputs are untouched on every error above. */
    CHECK(code == 1234 && ms == 5678);
}

static void test_deadlines_and_tick(void) {
    static fc_fleet fleet;
    fc_instance_id id;
    fc_state_change change;
    bool changed = true;
    bool has = false;
    uint64_t at = 0;
    char line[FC_STATE_CHANGE_TEXT_SIZE];
    char id_text[FC_INSTANCE_ID_TEXT_SIZE];
    char expected[FC_STATE_CHANGE_TEXT_SIZE];
    size_t n = 0;

    /* A board that never reports is assumed booted 40 s after launch. */
    OK(fc_fleet_init(&fleet, 1, 40000));
    OK(fc_fleet_launch(&fleet, 1000, AMI, TYPE, &id));
    OK(fc_fleet_next_deadline(&fleet, &at, &has));
    CHECK(has && at == 41000);

    OK(fc_fleet_tick(&fleet, 40999, &change, &changed));
    CHECK(!changed);
    OK(fc_fleet_tick(&fleet, 41000, &change, &changed));
    CHECK(changed);
    CHECK(memcmp(&change.id, &id, sizeof id) == 0);
    CHECK(change.from == FC_INSTANCE_STATE_PENDING && change.to == FC_INSTANCE_STATE_RUNNING);
    CHECK(change.cause == FC_OPERATION_DEADLINE && change.reason == FC_STATE_REASON_NONE);
    CHECK(change.at_ms == 41000);
    OK(fc_fleet_tick(&fleet, 41000, &change, &changed));
    CHECK(!changed);
    at = 99;
    OK(fc_fleet_next_deadline(&fleet, &at, &has));
    CHECK(!has && at == 99);

    /* The log line is the core's Display, the same as Rust and Python print. */
    OK(fc_instance_id_format(&id, id_text, sizeof id_text, &n));
    snprintf(expected, sizeof expected, "%s pending -> running (complete on deadline)", id_text);
    OK(fc_state_change_format(&change, line, sizeof line, &n));
    CHECK(strcmp(line, expected) == 0 && n == strlen(expected));
    EXPECT(fc_state_change_format(&change, line, 10, &n), FC_STATUS_BUFFER_TOO_SMALL);
    change.cause = 999;
    EXPECT(fc_state_change_format(&change, line, sizeof line, &n), FC_STATUS_INVALID_ENUM_VALUE);
}

static void test_determinism_and_capacity(void) {
    static fc_fleet a;
    static fc_fleet b;
    fc_instance_id ia;
    fc_instance_id ib;
    int i;

    OK(fc_fleet_init(&a, 99, 0));
    OK(fc_fleet_init(&b, 99, 0));
    OK(fc_fleet_launch(&a, 0, AMI, TYPE, &ia));
    OK(fc_fleet_launch(&b, 5, AMI, "m5.large", &ib));
    CHECK(memcmp(&ia, &ib, sizeof ia) == 0);

    for (i = 1; i < FC_FLEET_CAPACITY; i++) {
        OK(fc_fleet_launch(&a, 0, AMI, TYPE, &ib));
    }
    EXPECT(fc_fleet_launch(&a, 0, AMI, TYPE, &ib), FC_STATUS_FLEET_FULL);

    /* A failed launch report terminates at once; the slot is free an hour later. */
    OK(fc_fleet_report_failed(&a, 10, &ia, FC_STATE_REASON_INSUFFICIENT_INSTANCE_CAPACITY));
    CHECK(state_of(&a, &ia) == FC_INSTANCE_STATE_TERMINATED);
    EXPECT(fc_fleet_launch(&a, 3600009, AMI, TYPE, &ib), FC_STATUS_FLEET_FULL);
    OK(fc_fleet_launch(&a, 3600010, AMI, TYPE, &ib));
}

int main(void) {
    test_status_strings();
    test_state_names();
    test_ids();
    test_lifecycle_and_billing();
    test_bad_arguments();
    test_deadlines_and_tick();
    test_determinism_and_capacity();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
