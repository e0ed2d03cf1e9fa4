/*
 * JSON configuration through the fleetcore C ABI, with the generated header only:
 * fc_config_check on examples/controller.json and on broken copies of it (each error's status,
 * validator detail, path, byte offset, line and column asserted), single documents by kind,
 * and fc_group_init_json building a group with its policies and scheduled actions from the
 * example (with and without an fc_catalog), with the status of every bad call (outputs and
 * storage left unchanged). Built by scripts/c-tests.sh with -std=c11 -Wall -Wextra -Werror
 * -pedantic, run under ASan/UBSan (staticlib) and Valgrind (cdylib) from the repository root.
 * The last line of output is "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

static const uint64_t NOW = 1764547200000u; /* 2025-12-01T00:00:00Z */

static char example[FC_CONFIG_MAX_DOCUMENT + 1];
static size_t example_len;
static char doc[FC_CONFIG_MAX_DOCUMENT * 2];
static size_t doc_len;

static fc_group group;

/* Fills the group storage with a pattern, so that a call that fails can be seen not to have
 * written it (comparing an initialised group's bytes would read Rust padding, which Valgrind
 * rightly reports as uninitialised). */
static void fill_group(void) {
    memset(&group, 0x5a, sizeof group);
}

static int group_untouched(void) {
    const unsigned char *p = (const unsigned char *)&group;
    size_t i;
    for (i = 0; i < sizeof group; i++) {
        if (p[i] != 0x5a) {
            return 0;
        }
    }
    return 1;
}
static fc_catalog catalog;
static fc_catalog never_initialised;

static const char NOT_UTF8[] = {'s', (char)0xff, 0};

static void load_example(void) {
    FILE *f = fopen("examples/controller.json", "rb");
    if (f == NULL) {
        printf("cannot open examples/controller.json: run from the repository root\n");
        exit(1);
    }
    example_len = fread(example, 1, sizeof example - 1, f);
    fclose(f);
    CHECK(example_len > 1000 && example_len < FC_CONFIG_MAX_DOCUMENT);
}

/* `doc` = the example with the first occurrence of `find` replaced by `replace`. */
static void edit(const char *find, const char *replace) {
    const char *at = strstr(example, find);
    size_t head, flen = strlen(find), rlen = strlen(replace);
    if (at == NULL) {
        printf("edit: '%s' is not in the example\n", find);
        exit(1);
    }
    head = (size_t)(at - example);
    memcpy(doc, example, head);
    memcpy(doc + head, replace, rlen);
    memcpy(doc + head + rlen, at + flen, example_len - head - flen);
    doc_len = example_len - flen + rlen;
    doc[doc_len] = 0;
}

static void set_doc(const char *text) {
    doc_len = strlen(text);
    memcpy(doc, text, doc_len + 1);
}

/* Byte offset of the n-th (from 0) occurrence of `needle` in `doc`. */
static size_t offset_of(const char *needle, int nth) {
    const char *at = doc;
    for (;;) {
        at = strstr(at, needle);
        if (at == NULL) {
            printf("offset_of: '%s' is not in the document\n", needle);
            exit(1);
        }
        if (nth-- == 0) {
            return (size_t)(at - doc);
        }
        at++;
    }
}

/* Checks one refused document: status, detail, path, and position at `offset`. */
static void refused(uint32_t kind, fc_status want, fc_status detail, const char *path,
                    size_t offset, int line) {
    fc_config_error where;
    uint32_t want_line = 1, want_column;
    size_t i, last_newline = (size_t)-1;
    fc_status got;
    memset(&where, 0x5a, sizeof where);
    got = fc_config_check((const uint8_t *)doc, doc_len, kind, &where);
    check_status(got, want, path, line);
    if (got != want) {
        return;
    }
    for (i = 0; i < offset && i < doc_len; i++) {
        if (doc[i] == '\n') {
            want_line++;
            last_newline = i;
        }
    }
    want_column = (uint32_t)(offset - last_newline);
    check(where.detail == (uint32_t)detail, "detail", line);
    check(strcmp(where.path, path) == 0, where.path, line);
    check(where.offset == offset, "offset", line);
    check(where.line == want_line && where.column == want_column, "line and column", line);
    check(strstr(where.message, path) != NULL && where.message[FC_CONFIG_MESSAGE_SIZE - 1] == 0,
          where.message, line);
    if (where.offset != offset || where.line != want_line) {
        printf("  got offset %u line %u column %u, want %u %u %u: %s\n", (unsigned)where.offset,
               (unsigned)where.line, (unsigned)where.column, (unsigned)offset,
               (unsigned)want_line, (unsigned)want_column, where.message);
    }
    /* The same status without a place to say where. */
    check_status(fc_config_check((const uint8_t *)doc, doc_len, kind, NULL), want, path, line);
}

#define REFUSED(want, detail, path, offset)                                                     \
    refused(FC_CONFIG_KIND_CONTROLLER, (want), (detail), (path), (offset), __LINE__)

static void test_check_example(void) {
    fc_config_error where, keep;
    memset(&where, 0x5a, sizeof where);
    keep = where;
    OK(fc_config_check((const uint8_t *)example, example_len, FC_CONFIG_KIND_CONTROLLER, &where));
    CHECK(memcmp(&where, &keep, sizeof where) == 0);
    OK(fc_config_check((const uint8_t *)example, example_len, FC_CONFIG_KIND_CONTROLLER, NULL));
    EXPECT(fc_config_check((const uint8_t *)example, example_len, FC_CONFIG_KIND_GROUP, &where),
           FC_STATUS_CONFIG_UNKNOWN_FIELD);
    EXPECT(fc_config_check((const uint8_t *)example, example_len, 7, &where),
           FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_config_check(NULL, 5, FC_CONFIG_KIND_CONTROLLER, &where), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_config_check(NULL, 0, FC_CONFIG_KIND_CONTROLLER, &where),
           FC_STATUS_CONFIG_TRUNCATED);
}

static void test_check_kinds(void) {
    set_doc("{\"type\": \"target_tracking\", \"metric\": 0, \"target\": 60}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_POLICY, NULL));
    set_doc("{\"type\": \"target_tracking\", \"metric\": 0, \"target\": -5}");
    refused(FC_CONFIG_KIND_POLICY, FC_STATUS_CONFIG_SCALING, FC_STATUS_INVALID_TARGET_TRACKING,
            "target", offset_of("-5", 0), __LINE__);
    set_doc("{\"name\": \"b.small\", \"vcpus\": 2, \"memory_mib\": 512}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_INSTANCE_TYPE, NULL));
    set_doc("{\"name\": \"web-lt\", \"image_id\": \"ami-0123456789abcdef0\", \"instance_type\": "
            "\"m5.large\"}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_LAUNCH_TEMPLATE, NULL));
    set_doc("{\"name\": \"web\", \"inbound\": [{\"protocol\": \"tcp\", \"from_port\": 80, "
            "\"cidr\": \"0.0.0.0/0\"}]}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_SECURITY_GROUP, NULL));
    set_doc("{\"name\": \"g\", \"launch_template\": \"lt\", \"min_size\": 0, \"max_size\": 2, "
            "\"zones\": [\"z\"]}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_GROUP, NULL));
    set_doc("{\"name\": \"nightly\", \"recurrence\": \"0 2 * * *\", \"desired_capacity\": 0}");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_SCHEDULED_ACTION, NULL));
    set_doc("{\"name\": \"nightly\", \"recurrence\": \"0 2 * *\", \"desired_capacity\": 0}");
    refused(FC_CONFIG_KIND_SCHEDULED_ACTION, FC_STATUS_CONFIG_SCALING, FC_STATUS_INVALID_CRON,
            "recurrence", offset_of("\"0 2", 0), __LINE__);
}

static void test_check_errors(void) {
    char big[FC_CONFIG_MAX_DOCUMENT + 16];
    int i;

    /* Syntax and size. */
    edit("\"min_size\": 2,", "\"min_size\": 2");
    REFUSED(FC_STATUS_CONFIG_SYNTAX, FC_STATUS_CONFIG_SYNTAX, "groups[0].min_size",
            offset_of("\"max_size\": 12", 0));
    set_doc("{\"groups\": [");
    REFUSED(FC_STATUS_CONFIG_TRUNCATED, FC_STATUS_CONFIG_TRUNCATED, "groups[0]", doc_len);
    edit("\n}", "\n} x");
    REFUSED(FC_STATUS_CONFIG_TRAILING_CHARACTERS, FC_STATUS_CONFIG_TRAILING_CHARACTERS, "",
            offset_of("} x", 0) + 2);
    memset(big, ' ', sizeof big);
    big[0] = '{';
    big[FC_CONFIG_MAX_DOCUMENT] = '}';
    big[FC_CONFIG_MAX_DOCUMENT + 1] = 0;
    set_doc(big);
    REFUSED(FC_STATUS_CONFIG_TOO_LARGE, FC_STATUS_CONFIG_TOO_LARGE, "", FC_CONFIG_MAX_DOCUMENT);
    for (i = 0; i < 20; i++) {
        big[i] = '[';
    }
    for (i = 0; i < 20; i++) {
        big[20 + i] = ']';
    }
    big[40] = 0;
    set_doc(big);
    REFUSED(FC_STATUS_CONFIG_TOO_DEEP, FC_STATUS_CONFIG_TOO_DEEP,
            "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]", 16);

    /* Schema. */
    edit("\"default_cooldown_s\": 300,", "\"cooldown_s\": 300,");
    REFUSED(FC_STATUS_CONFIG_UNKNOWN_FIELD, FC_STATUS_CONFIG_UNKNOWN_FIELD, "groups[0].cooldown_s",
            offset_of("\"cooldown_s\"", 0));
    edit("\"min_size\": 2,", "\"min_size\": \"2\",");
    REFUSED(FC_STATUS_CONFIG_WRONG_TYPE, FC_STATUS_CONFIG_WRONG_TYPE, "groups[0].min_size",
            offset_of("\"2\"", 0));
    edit("\"max_size\": 12,", "\"max_size\": -12,");
    REFUSED(FC_STATUS_CONFIG_OUT_OF_RANGE, FC_STATUS_CONFIG_OUT_OF_RANGE, "groups[0].max_size",
            offset_of("-12", 0));
    edit("\"market\": \"spot\"", "\"market\": \"cheap\"");
    REFUSED(FC_STATUS_CONFIG_UNKNOWN_VARIANT, FC_STATUS_CONFIG_UNKNOWN_VARIANT,
            "launch_templates[1].market", offset_of("\"cheap\"", 0));
    edit("\"min_size\": 2,", "\"min_size\": 2, \"min_size\": 2,");
    /* Located at the object that has the field twice. */
    REFUSED(FC_STATUS_CONFIG_DUPLICATE_FIELD, FC_STATUS_CONFIG_DUPLICATE_FIELD, "groups[0]",
            offset_of("{\n      \"name\": \"sensors\"", 0));
    edit("\"min_size\": 1,\n      \"max_size\": 4", "\"max_size\": 4");
    /* Located at the object that lacks the field (the second "web": groups, not security). */
    REFUSED(FC_STATUS_CONFIG_MISSING_FIELD, FC_STATUS_CONFIG_MISSING_FIELD, "groups[1]",
            offset_of("{\n      \"name\": \"web\"", 1));
    edit("[\"rack-a\", \"rack-b\", \"rack-c\"]",
         "[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]");
    REFUSED(FC_STATUS_CONFIG_TOO_LONG, FC_STATUS_CONFIG_TOO_LONG, "groups[0].zones",
            offset_of("[\"a\"", 0));
    edit("\"adjustment\": -1,", "\"adjustment\": -1, \"steps\": [],");
    REFUSED(FC_STATUS_CONFIG_NOT_ALLOWED, FC_STATUS_CONFIG_NOT_ALLOWED,
            "groups[0].policies[2].steps", offset_of("\"steps\": []", 0) + 9);
    edit("\"name\": \"web\",\n      \"launch_template\"", "\"name\": \"\",\n      \"launch_template\"");
    REFUSED(FC_STATUS_CONFIG_INVALID, FC_STATUS_CONFIG_INVALID, "groups[1].name",
            offset_of("\"\"", 0));

    /* References and names. */
    edit("\"launch_template\": \"web-spot\"", "\"launch_template\": \"nope\"");
    REFUSED(FC_STATUS_CONFIG_UNKNOWN_REFERENCE, FC_STATUS_CONFIG_UNKNOWN_REFERENCE,
            "groups[1].launch_template", offset_of("\"nope\"", 0));
    edit("\"name\": \"web\",\n      \"launch_template\"",
         "\"name\": \"sensors\",\n      \"launch_template\"");
    REFUSED(FC_STATUS_CONFIG_DUPLICATE_NAME, FC_STATUS_CONFIG_DUPLICATE_NAME, "groups[1].name",
            offset_of("\"sensors\"", 1));

    /* Validators, with their own status as detail. */
    edit("\"board-v2.small\"", "\"Board.small\"");
    REFUSED(FC_STATUS_CONFIG_CATALOG, FC_STATUS_INVALID_TYPE_NAME, "instance_types[0].name",
            offset_of("\"Board.small\"", 0));
    edit("\"max_size\": 12,", "\"max_size\": 1,");
    REFUSED(FC_STATUS_CONFIG_GROUP, FC_STATUS_MAX_BELOW_MIN, "groups[0].max_size",
            offset_of("\"max_size\": 1,", 0) + 12);
    edit("\"30 6 * * MON-FRI\"", "\"30 25 * * MON-FRI\"");
    REFUSED(FC_STATUS_CONFIG_SCALING, FC_STATUS_CRON_OUT_OF_RANGE,
            "groups[0].scheduled_actions[0].recurrence", offset_of("\"30 25", 0));
    edit("\"cidr\": \"10.0.0.0/8\"", "\"cidr\": \"10.0.0.1/8\"");
    REFUSED(FC_STATUS_CONFIG_NETWORK, FC_STATUS_NET_BAD_CIDR,
            "security_groups[0].inbound[0].cidr", offset_of("\"10.0.0.1/8\"", 0));
}

static void test_time_zone_points_into_the_text(void) {
    fc_config_error where;
    size_t start;
    edit("\"CET-1CEST,M3.5.0,M10.5.0/3\"", "\"CET-1CEST,M13.5.0,M10.5.0/3\"");
    start = offset_of("\"CET-1CEST,M13", 0);
    EXPECT(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_CONTROLLER, &where),
           FC_STATUS_CONFIG_SCALING);
    CHECK(where.detail == FC_STATUS_INVALID_TIME_ZONE);
    CHECK(strcmp(where.path, "groups[0].scheduled_actions[0].time_zone") == 0);
    CHECK(where.offset > start && where.offset < start + 29);
}

/* The host library reads IANA zone names as Python does (the default `tz-names` feature); a name
 * outside tzdata is refused at the field. */
static void test_iana_time_zone_names(void) {
    fc_config_error where;
    edit("\"CET-1CEST,M3.5.0,M10.5.0/3\"", "\"Europe/Berlin\"");
    OK(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_CONTROLLER, &where));
    edit("\"CET-1CEST,M3.5.0,M10.5.0/3\"", "\"Europe/Atlantis\"");
    EXPECT(fc_config_check((const uint8_t *)doc, doc_len, FC_CONFIG_KIND_CONTROLLER, &where),
           FC_STATUS_CONFIG_SCALING);
    CHECK(strcmp(where.path, "groups[0].scheduled_actions[0].time_zone") == 0);
}

static fc_group_json_options options(void) {
    fc_group_json_options o;
    OK(fc_group_json_options_default(&o));
    return o;
}

static size_t tick(fc_group *g, uint64_t now, fc_group_action *actions, size_t cap) {
    size_t n = 0;
    OK(fc_group_tick(g, now, actions, cap, &n));
    return n;
}

static void test_group_from_json(void) {
    fc_group_json_options o;
    fc_group_action actions[16];
    fc_executed executed;
    fc_config_error where;
    char text[FC_TEMPLATE_ID_TEXT_SIZE];
    size_t n, written, i;
    fc_template_id lt;

    EXPECT(fc_group_json_options_default(NULL), FC_STATUS_NULL_ARGUMENT);
    o = options();
    CHECK(o.group_name == NULL && o.catalog == NULL && o.seed == 0 && o.now_ms == 0);

    /* The first group ("sensors"): desired 3, three zones, its two metrics, three policies
     * (target tracking on metric 0), two alarms, three scheduled actions, a launching hook and
     * a warm pool; no catalog: template 0 of the document, version 1 for $Latest. */
    o.seed = 1;
    o.now_ms = NOW;
    OK(fc_group_init_json(&group, (const uint8_t *)example, example_len, &o, &where));
    {
        uint32_t state;
        fc_warm_pool pool;
        bool has = false;
        OK(fc_group_alarm_state(&group, 1, &state));
        CHECK(state == FC_ALARM_STATE_INSUFFICIENT_DATA);
        CHECK(fc_group_alarm_state(&group, 2, &state) != FC_STATUS_OK);
        OK(fc_group_warm_pool(&group, &pool, &has));
        CHECK(has && pool.min_size == 1);
        /* Without the pool, the first tick launches exactly the three members desired. */
        OK(fc_group_delete_warm_pool(&group, NOW));
    }
    n = tick(&group, NOW, actions, 16);
    CHECK(n == 3);
    for (i = 0; i < n; i++) {
        CHECK(actions[i].kind == FC_GROUP_ACTION_KIND_LAUNCH && actions[i].version == 1);
        CHECK(actions[i].zone == i);
        OK(fc_template_id_format(&actions[i].template_id, text, sizeof text, &written));
        CHECK(strcmp(text, "lt-00000000000000000") == 0);
    }
    OK(fc_group_zone_name(&group, 2, text, sizeof text, &written));
    CHECK(strcmp(text, "rack-c") == 0);
    EXPECT(fc_group_execute_policy(&group, NOW, 0, false, 0, 0, false, &executed),
           FC_STATUS_NOT_EXECUTABLE); /* target tracking */
    OK(fc_group_execute_policy(&group, NOW, 2, false, 0, 0, false, &executed)); /* simple -1 */
    CHECK(executed.kind == FC_EXECUTED_KIND_CHANGED && executed.from == 3 && executed.to == 2);
    EXPECT(fc_group_execute_policy(&group, NOW, 3, false, 0, 0, false, &executed),
           FC_STATUS_UNKNOWN_POLICY);
    OK(fc_group_delete_scheduled_action(&group, "launch-day"));
    OK(fc_group_delete_scheduled_action(&group, "weekday-rush"));
    EXPECT(fc_group_delete_scheduled_action(&group, "launch-day"),
           FC_STATUS_UNKNOWN_SCHEDULED_ACTION);

    /* The second group by name: template 1 of the document, min 1. */
    o = options();
    o.group_name = "web";
    OK(fc_group_init_json(&group, (const uint8_t *)example, example_len, &o, NULL));
    n = tick(&group, NOW, actions, 16);
    CHECK(n == 1 && actions[0].kind == FC_GROUP_ACTION_KIND_LAUNCH);
    OK(fc_template_id_format(&actions[0].template_id, text, sizeof text, &written));
    CHECK(strcmp(text, "lt-00000000000000001") == 0);

    /* With a catalog: the template's id, and $Latest resolved now (version 2). */
    {
        fc_image img;
        fc_instance_type t;
        fc_template_data d;
        uint32_t v;
        OK(fc_catalog_init(&catalog, 9));
        memset(&img, 0, sizeof img);
        img.id = "ami-0123456789abcdef0";
        img.name = "sensor";
        img.architecture = FC_ARCHITECTURE_X86_64;
        OK(fc_catalog_register_image(&catalog, &img));
        memset(&t, 0, sizeof t);
        strcpy(t.name, "board-v2.small");
        t.architecture = FC_ARCHITECTURE_X86_64;
        t.vcpus = 4;
        t.memory_mib = 2048;
        t.max_enis = 2;
        t.ipv4_per_eni = 4;
        t.normalization_quarters = 2;
        OK(fc_catalog_add_instance_type(&catalog, &t));
        OK(fc_template_data_default(&d));
        d.image_id = "ami-0123456789abcdef0";
        d.instance_type = "board-v2.small";
        OK(fc_catalog_create_template(&catalog, "sensor-node", &d, NULL, &lt));
        OK(fc_catalog_create_template_version(&catalog, &lt, &d, NULL, &v));
        CHECK(v == 2);
    }
    o = options();
    o.now_ms = NOW; /* scheduled actions put at time 0 would all be overdue at NOW */
    o.catalog = &catalog;
    OK(fc_group_init_json(&group, (const uint8_t *)example, example_len, &o, &where));
    OK(fc_group_delete_warm_pool(&group, NOW));
    n = tick(&group, NOW, actions, 16);
    CHECK(n == 3 && actions[0].version == 2);
    CHECK(memcmp(&actions[0].template_id, &lt, sizeof lt) == 0);
}

/* A failing fc_group_init_json: status, where, and the group storage unchanged. */
static void refused_group(const fc_group_json_options *o, fc_status want, fc_status detail,
                          const char *path, int line) {
    fc_config_error where;
    fc_status got;
    memset(&where, 0x5a, sizeof where);
    fill_group();
    got = fc_group_init_json(&group, (const uint8_t *)doc, doc_len, o, &where);
    check_status(got, want, path, line);
    check(group_untouched(), "group unchanged", line);
    if (got != want || path == NULL) {
        return;
    }
    check(where.detail == (uint32_t)detail, "detail", line);
    check(strcmp(where.path, path) == 0, where.path, line);
    check(where.line == 0 && where.column == 0 && where.offset == 0, "no position", line);
    check(strstr(where.message, path) != NULL, where.message, line);
}

static void test_group_from_json_errors(void) {
    fc_group_json_options o;
    fc_config_error where;

    memcpy(doc, example, example_len + 1);
    doc_len = example_len;
    o = options();

    /* The document's own errors come back located, as from fc_config_check. */
    memset(&where, 0x5a, sizeof where);
    fill_group();
    edit("\"min_size\": 2,", "\"min_size\": \"2\",");
    EXPECT(fc_group_init_json(&group, (const uint8_t *)doc, doc_len, &o, &where),
           FC_STATUS_CONFIG_WRONG_TYPE);
    CHECK(strcmp(where.path, "groups[0].min_size") == 0 && where.offset == offset_of("\"2\"", 0));
    CHECK(where.line > 0 && where.column > 0);
    CHECK(group_untouched());

    /* Errors found while building, named by path. */
    memcpy(doc, example, example_len + 1);
    doc_len = example_len;
    o.group_name = "nope";
    refused_group(&o, FC_STATUS_CONFIG_UNKNOWN_REFERENCE, FC_STATUS_CONFIG_UNKNOWN_REFERENCE,
                  "groups", __LINE__);
    o.group_name = NULL;
    edit("\"max_size\": 12,", "\"max_size\": 100,");
    refused_group(&o, FC_STATUS_CONFIG_GROUP, FC_STATUS_MAX_ABOVE_CAPACITY, "groups[0]", __LINE__);
    edit("\"desired_capacity\": 10", "\"desired_capacity\": 10}, {\"name\": \"twin\", "
                                     "\"start_time\": \"2026-12-01T08:00:00Z\", "
                                     "\"desired_capacity\": 5");
    refused_group(&o, FC_STATUS_CONFIG_GROUP, FC_STATUS_SCHEDULE_CONFLICT,
                  "groups[0].scheduled_actions[3]", __LINE__);
    memcpy(doc, example, example_len + 1);
    doc_len = example_len;
    o.group_name = "web";
    o.catalog = &catalog; /* has sensor-node only */
    refused_group(&o, FC_STATUS_CONFIG_UNKNOWN_REFERENCE, FC_STATUS_CONFIG_UNKNOWN_REFERENCE,
                  "groups[1].launch_template", __LINE__);
    o.group_name = NULL;
    edit("\"launch_template_version\": \"$Latest\"", "\"launch_template_version\": \"5\"");
    refused_group(&o, FC_STATUS_CONFIG_CATALOG, FC_STATUS_UNKNOWN_VERSION,
                  "groups[0].launch_template_version", __LINE__);
    memcpy(doc, example, example_len + 1);
    doc_len = example_len;

    /* Plain statuses: where is untouched. */
    o = options();
    o.group_name = NOT_UTF8;
    refused_group(&o, FC_STATUS_NOT_UTF8, FC_STATUS_OK, NULL, __LINE__);
    o = options();
    o.catalog = &never_initialised;
    refused_group(&o, FC_STATUS_UNINITIALIZED, FC_STATUS_OK, NULL, __LINE__);
    refused_group(NULL, FC_STATUS_NULL_ARGUMENT, FC_STATUS_OK, NULL, __LINE__);
    o = options();
    EXPECT(fc_group_init_json(NULL, (const uint8_t *)doc, doc_len, &o, &where),
           FC_STATUS_NULL_ARGUMENT);
    {
        fc_config_error keep;
        memset(&where, 0x5a, sizeof where);
        keep = where;
        EXPECT(fc_group_init_json(&group, NULL, 3, &o, &where), FC_STATUS_NULL_ARGUMENT);
        CHECK(memcmp(&where, &keep, sizeof where) == 0);
    }
}

static void test_statuses(void) {
    CHECK(FC_STATUS_CONFIG_TOO_LARGE == 1300 && FC_STATUS_CONFIG_DUPLICATE_NAME == 1315);
    CHECK(FC_STATUS_CONFIG_CATALOG == 1320 && FC_STATUS_CONFIG_NETWORK == 1323);
    CHECK(FC_STATUS_CONFIG_BUFFER_TOO_SMALL == 1330);
    CHECK(strcmp(status_text(FC_STATUS_CONFIG_SYNTAX), "not JSON: expected a value") == 0);
    CHECK(strcmp(status_text(1316), "unknown status") == 0);
}

int main(void) {
    load_example();
    test_statuses();
    test_check_example();
    test_check_kinds();
    test_check_errors();
    test_time_zone_points_into_the_text();
    test_iana_time_zone_names();
    test_group_from_json();
    test_group_from_json_errors();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
