/*
 * Images, instance types and launch templates through the fleetcore C ABI (SEMANTICS §4.2, §6,
 * §7), with the generated header only: built-in and custom instance types, image registration,
 * templates and their versions ($Default, $Latest, numbers; deleted numbers never reused),
 * resolving a launch spec and launching it in an fc_fleet, and the status of every bad call
 * (outputs and the catalog left unchanged). Built by scripts/c-tests.sh with -std=c11 -Wall
 * -Wextra -Werror -pedantic, run under ASan/UBSan (staticlib) and Valgrind (cdylib). The last
 * line of output is "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

_Static_assert(sizeof(fc_catalog) == FC_CATALOG_SIZE, "fc_catalog is FC_CATALOG_SIZE bytes");
_Static_assert(_Alignof(fc_catalog) == 8, "fc_catalog is 8-byte aligned");

static const uint64_t NOW = 1700000000000u;
static const char *const AMI = "ami-0123456789abcdef0";
static const char *const AMI_STORE = "ami-0fedcba9876543210";

static fc_catalog catalog;
static fc_catalog copy;
static fc_catalog never_initialised;
static fc_fleet fleet;

static const char NOT_UTF8[] = {'m', '5', (char)0xff, '.', 'l', 0};

/*
 * What a catalog shows through the API, as text: the types, images, templates and every
 * version's launch spec the tests can name. Comparing the storage bytes instead would read the
 * padding inside the Rust values, which Valgrind rightly reports as uninitialised.
 */
static char digest_before[16384];
static char digest_now[16384];
static fc_catalog probe;

static void digest(const fc_catalog *c, char *out, size_t cap) {
    static const char *const types[] = {"m5.large", "board-v2.small", "board-v3.small",
                                        "node1.large", "node7.large", "node99.large"};
    static const char *const images[] = {"ami-0123456789abcdef0", "ami-0fedcba9876543210",
                                         "ami-00000000000000001", "ami-00000000000000042",
                                         "ami-00000000000000102", "ami-00000000000000107",
                                         "ami-00000000000000999"};
    static const char *const templates[] = {"sensor-node", "web", "filler-1", "filler-3",
                                            "one-too-many"};
    size_t used = 0, i;
    uint32_t v;
    char spec_version[12];
#define PUT(...) used += (size_t)snprintf(out + used, used < cap ? cap - used : 0, __VA_ARGS__)
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        fc_instance_type t;
        fc_status st = fc_catalog_instance_type(c, types[i], &t);
        PUT("type %s %u", types[i], (unsigned)st);
        if (st == FC_STATUS_OK) {
            PUT(" %s %u %u %u %u %u %u %u", t.name, (unsigned)t.category, (unsigned)t.vcpus,
                (unsigned)t.memory_mib, (unsigned)t.accelerators, (unsigned)t.max_enis,
                (unsigned)t.ipv4_per_eni, (unsigned)t.normalization_quarters);
        }
        PUT("\n");
    }
    for (i = 0; i < sizeof images / sizeof images[0]; i++) {
        /* An image exists when a copy can deregister it. */
        memcpy(&probe, c, sizeof probe);
        PUT("image %s %u\n", images[i], (unsigned)fc_catalog_deregister_image(&probe, images[i]));
    }
    for (i = 0; i < sizeof templates / sizeof templates[0]; i++) {
        fc_template_info info;
        fc_status st = fc_catalog_template_by_name(c, templates[i], &info);
        PUT("template %s %u", templates[i], (unsigned)st);
        if (st != FC_STATUS_OK) {
            PUT("\n");
            continue;
        }
        PUT(" %.17s %u %u %u\n", (const char *)info.id.digits, (unsigned)info.default_version,
            (unsigned)info.latest_version, (unsigned)info.version_count);
        for (v = 1; v <= 12; v++) {
            fc_launch_spec spec;
            snprintf(spec_version, sizeof spec_version, "%u", (unsigned)v);
            st = fc_catalog_launch_spec(c, &info.id, spec_version, &spec);
            PUT(" v%u %u", (unsigned)v, (unsigned)st);
            if (st == FC_STATUS_OK) {
                PUT(" %s %s %u %u %d %d %u %u %u %u", spec.image_id, spec.instance_type,
                    (unsigned)spec.root_device_type, (unsigned)spec.shutdown_behavior,
                    spec.hibernation_configured, spec.disable_api_termination,
                    (unsigned)spec.market, (unsigned)spec.spot_request,
                    (unsigned)spec.spot_interruption, (unsigned)spec.template_version);
            }
            PUT("\n");
        }
    }
#undef PUT
    if (used >= cap) {
        printf("digest: buffer too small\n");
        failed++;
    }
}

/* The catalog did not change since SNAP(). */
#define SNAP() digest(&catalog, digest_before, sizeof digest_before)
#define UNCHANGED()                                                                             \
    do {                                                                                        \
        digest(&catalog, digest_now, sizeof digest_now);                                        \
        CHECK(strcmp(digest_now, digest_before) == 0);                                          \
    } while (0)

static fc_instance_type board(const char *name) {
    fc_instance_type t;
    memset(&t, 0, sizeof t);
    strncpy(t.name, name, sizeof t.name - 1);
    t.category = FC_CATEGORY_GENERAL_PURPOSE;
    t.vcpus = 4;
    t.memory_mib = 2048;
    t.max_enis = 2;
    t.ipv4_per_eni = 4;
    t.normalization_quarters = 2;
    t.architecture = FC_ARCHITECTURE_ARM64; /* as the images of these tests */
    return t;
}

static fc_image image(const char *id, const char *name) {
    fc_image i;
    memset(&i, 0, sizeof i);
    i.id = id;
    i.name = name;
    i.architecture = FC_ARCHITECTURE_ARM64;
    i.root_device_type = FC_ROOT_DEVICE_TYPE_EBS;
    i.boot_mode = FC_BOOT_MODE_UEFI;
    i.description = NULL;
    return i;
}

static fc_template_data data(const char *ami, const char *type) {
    fc_template_data d;
    OK(fc_template_data_default(&d));
    d.image_id = ami;
    d.instance_type = type;
    return d;
}

static void test_init_and_types(void) {
    fc_instance_type t, keep;
    size_t i;
    EXPECT(fc_catalog_init(NULL, 1), FC_STATUS_NULL_ARGUMENT);
    OK(fc_catalog_init(&catalog, 7));
    memset(&keep, 0x5a, sizeof keep);

    /* Built in. */
    OK(fc_catalog_instance_type(&catalog, "m5.large", &t));
    CHECK(strcmp(t.name, "m5.large") == 0);
    CHECK(t.category == FC_CATEGORY_GENERAL_PURPOSE && t.vcpus == 2 && t.memory_mib == 8192);
    CHECK(t.max_enis == 3 && t.ipv4_per_eni == 10 && t.normalization_quarters == 16);
    CHECK(t.accelerators == 0);
    OK(fc_catalog_instance_type(&catalog, "t3.nano", &t));
    CHECK(t.category == FC_CATEGORY_BURSTABLE && t.memory_mib == 512);
    CHECK(t.normalization_quarters == 1);
    OK(fc_catalog_instance_type(&catalog, "g5.xlarge", &t));
    CHECK(t.category == FC_CATEGORY_ACCELERATED && t.accelerators == 1);

    /* Lookup errors leave the output alone. */
    t = keep;
    EXPECT(fc_catalog_instance_type(&catalog, "M5.large", &t), FC_STATUS_INVALID_TYPE_NAME);
    EXPECT(fc_catalog_instance_type(&catalog, "zz9.large", &t), FC_STATUS_UNKNOWN_INSTANCE_TYPE);
    EXPECT(fc_catalog_instance_type(&catalog, NOT_UTF8, &t), FC_STATUS_NOT_UTF8);
    EXPECT(fc_catalog_instance_type(&catalog, NULL, &t), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_instance_type(NULL, "m5.large", &t), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_instance_type(&never_initialised, "m5.large", &t),
           FC_STATUS_UNINITIALIZED);
    CHECK(memcmp(&t, &keep, sizeof t) == 0);
    EXPECT(fc_catalog_instance_type(&catalog, "m5.large", NULL), FC_STATUS_NULL_ARGUMENT);

    /* Custom types. */
    t = board("board-v2.small");
    OK(fc_catalog_add_instance_type(&catalog, &t));
    memset(&t, 0, sizeof t);
    OK(fc_catalog_instance_type(&catalog, "board-v2.small", &t));
    CHECK(t.vcpus == 4 && t.memory_mib == 2048 && t.max_enis == 2 && t.ipv4_per_eni == 4);
    CHECK(t.normalization_quarters == 2 && t.category == FC_CATEGORY_GENERAL_PURPOSE);

    SNAP();
    t = board("board-v2.small");
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_DUPLICATE_INSTANCE_TYPE);
    t = board("m5.large");
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_DUPLICATE_INSTANCE_TYPE);
    t = board("Board.small");
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_INVALID_TYPE_NAME);
    t = board("board");
    memset(t.name, 'a', sizeof t.name); /* no NUL inside the array */
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_INVALID_TYPE_NAME);
    t = board("x");
    memcpy(t.name, NOT_UTF8, sizeof NOT_UTF8);
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_NOT_UTF8);
    t = board("board-v3.small");
    t.category = 99;
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_INVALID_ENUM_VALUE);
    t = board("board-v3.small");
    t.vcpus = 0;
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_OUT_OF_RANGE);
    t = board("board-v3.small");
    t.max_enis = 0;
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_OUT_OF_RANGE);
    t = board("board-v3.small");
    t.normalization_quarters = 0;
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_OUT_OF_RANGE);
    EXPECT(fc_catalog_add_instance_type(&catalog, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_add_instance_type(NULL, &t), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_add_instance_type(&never_initialised, &t), FC_STATUS_UNINITIALIZED);
    UNCHANGED();

    /* Full after FC_CATALOG_MAX_TYPES. */
    for (i = 1; i < FC_CATALOG_MAX_TYPES; i++) {
        char name[32];
        snprintf(name, sizeof name, "node%u.large", (unsigned)i);
        t = board(name);
        OK(fc_catalog_add_instance_type(&catalog, &t));
    }
    SNAP();
    t = board("node99.large");
    EXPECT(fc_catalog_add_instance_type(&catalog, &t), FC_STATUS_CATALOG_FULL);
    UNCHANGED();
}

static void test_images(void) {
    fc_image i;
    char long_text[300];
    size_t n;
    i = image(AMI, "sensor node (v2)");
    i.description = "Board v2 running the sensor stack";
    OK(fc_catalog_register_image(&catalog, &i));
    i = image(AMI_STORE, "store-root");
    i.root_device_type = FC_ROOT_DEVICE_TYPE_INSTANCE_STORE;
    i.architecture = FC_ARCHITECTURE_X86_64;
    i.boot_mode = FC_BOOT_MODE_LEGACY_BIOS;
    OK(fc_catalog_register_image(&catalog, &i));

    SNAP();
    i = image(AMI, "again");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_DUPLICATE_IMAGE);
    i = image("ami-xyz", "bad id");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_ID_BAD_LENGTH);
    i = image("i-0123456789abcdef0", "bad id");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_ID_WRONG_PREFIX);
    i = image("ami-0123456789abcdefg", "bad id");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_ID_NOT_HEX);
    i = image("ami-00000000000000001", "ab");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_INVALID_IMAGE_NAME);
    i = image("ami-00000000000000001", "no*stars");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_INVALID_IMAGE_NAME);
    memset(long_text, 'd', sizeof long_text);
    long_text[256] = 0;
    i = image("ami-00000000000000001", "fine");
    i.description = long_text;
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_TOO_LONG);
    i = image("ami-00000000000000001", "fine");
    i.architecture = 9;
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_INVALID_ENUM_VALUE);
    i = image("ami-00000000000000001", "fine");
    i.root_device_type = 9;
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_INVALID_ENUM_VALUE);
    i = image("ami-00000000000000001", "fine");
    i.boot_mode = 9;
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_INVALID_ENUM_VALUE);
    i = image("ami-00000000000000001", NOT_UTF8);
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_NOT_UTF8);
    i = image(NULL, "fine");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_NULL_ARGUMENT);
    i = image("ami-00000000000000001", NULL);
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_register_image(&catalog, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_register_image(&never_initialised, &i), FC_STATUS_UNINITIALIZED);
    UNCHANGED();

    /* Deregister and register again; unknown and malformed ids. */
    SNAP();
    i = image("ami-00000000000000042", "temporary");
    OK(fc_catalog_register_image(&catalog, &i));
    digest(&catalog, digest_now, sizeof digest_now);
    CHECK(strcmp(digest_now, digest_before) != 0); /* the digest sees images */
    OK(fc_catalog_deregister_image(&catalog, "ami-00000000000000042"));
    UNCHANGED();
    EXPECT(fc_catalog_deregister_image(&catalog, "ami-00000000000000042"),
           FC_STATUS_UNKNOWN_IMAGE);
    EXPECT(fc_catalog_deregister_image(&catalog, "lt-00000000000000042"),
           FC_STATUS_ID_WRONG_PREFIX);
    EXPECT(fc_catalog_deregister_image(&catalog, NOT_UTF8), FC_STATUS_NOT_UTF8);
    EXPECT(fc_catalog_deregister_image(&catalog, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_deregister_image(NULL, AMI), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_deregister_image(&never_initialised, AMI), FC_STATUS_UNINITIALIZED);
    UNCHANGED();

    /* Full after FC_CATALOG_MAX_IMAGES. */
    for (n = 2; n < FC_CATALOG_MAX_IMAGES; n++) {
        char id[32];
        snprintf(id, sizeof id, "ami-%017u", (unsigned)(100 + n));
        i = image(id, "filler");
        OK(fc_catalog_register_image(&catalog, &i));
    }
    SNAP();
    i = image("ami-00000000000000999", "one too many");
    EXPECT(fc_catalog_register_image(&catalog, &i), FC_STATUS_CATALOG_FULL);
    UNCHANGED();
}

static fc_template_id sensor;

static void test_templates(void) {
    fc_template_data d;
    fc_template_id id, other, keep_id;
    fc_template_info info;
    uint32_t version = 77;
    char text[FC_TEMPLATE_ID_TEXT_SIZE];
    char long_text[300];
    size_t written = 99;
    int n;

    EXPECT(fc_template_data_default(NULL), FC_STATUS_NULL_ARGUMENT);
    d = data(AMI, "board-v2.small");
    CHECK(d.shutdown_behavior == FC_SHUTDOWN_BEHAVIOR_STOP && d.market == FC_MARKET_ON_DEMAND);
    CHECK(!d.hibernation_configured && !d.disable_api_termination);
    d.shutdown_behavior = FC_SHUTDOWN_BEHAVIOR_TERMINATE;
    OK(fc_catalog_create_template(&catalog, "sensor-node", &d, "v1", &sensor));
    CHECK(sensor.len == 17);

    /* Template ids as text, and back. */
    OK(fc_template_id_format(&sensor, text, sizeof text, &written));
    CHECK(written == 20 && strncmp(text, "lt-", 3) == 0 && text[20] == 0);
    OK(fc_template_id_parse(text, &id));
    CHECK(memcmp(&id, &sensor, sizeof id) == 0);
    EXPECT(fc_template_id_format(&sensor, text, 20, &written), FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_template_id_format(NULL, text, sizeof text, &written), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_template_id_format(&sensor, NULL, sizeof text, &written), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_template_id_format(&sensor, text, sizeof text, NULL), FC_STATUS_NULL_ARGUMENT);
    keep_id = id;
    EXPECT(fc_template_id_parse("i-0123456789abcdef0", &id), FC_STATUS_ID_WRONG_PREFIX);
    EXPECT(fc_template_id_parse("lt-0123", &id), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_template_id_parse("lt-0123456789ABCDEF0", &id), FC_STATUS_ID_NOT_HEX);
    EXPECT(fc_template_id_parse(NOT_UTF8, &id), FC_STATUS_NOT_UTF8);
    EXPECT(fc_template_id_parse(NULL, &id), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_template_id_parse(text, NULL), FC_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(&id, &keep_id, sizeof id) == 0);
    id.len = 5;
    EXPECT(fc_template_id_format(&id, text, sizeof text, &written), FC_STATUS_ID_BAD_LENGTH);

    /* Create errors: the catalog and the output are unchanged. */
    SNAP();
    other = sensor;
    d = data("ami-00000000000000777", "board-v2.small");
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other), FC_STATUS_UNKNOWN_IMAGE);
    d = data(AMI, "zz9.large");
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_UNKNOWN_INSTANCE_TYPE);
    d = data(AMI, "Large");
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_INVALID_TYPE_NAME);
    d = data("ami-12", "m5.large");
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other), FC_STATUS_ID_BAD_LENGTH);
    d = data(AMI, "m5.large");
    EXPECT(fc_catalog_create_template(&catalog, "sensor-node", &d, NULL, &other),
           FC_STATUS_DUPLICATE_TEMPLATE_NAME);
    EXPECT(fc_catalog_create_template(&catalog, "ab", &d, NULL, &other),
           FC_STATUS_INVALID_TEMPLATE_NAME);
    EXPECT(fc_catalog_create_template(&catalog, "has space", &d, NULL, &other),
           FC_STATUS_INVALID_TEMPLATE_NAME);
    memset(long_text, 'd', sizeof long_text);
    long_text[256] = 0;
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, long_text, &other), FC_STATUS_TOO_LONG);
    d.shutdown_behavior = 7;
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_INVALID_ENUM_VALUE);
    d = data(AMI, "m5.large");
    d.market = 5;
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_INVALID_ENUM_VALUE);
    d = data(AMI, "m5.large");
    d.spot_request = 5;
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_INVALID_ENUM_VALUE);
    d = data(AMI, "m5.large");
    d.spot_interruption = 5;
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other),
           FC_STATUS_INVALID_ENUM_VALUE);
    d = data(NULL, "m5.large");
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other), FC_STATUS_NULL_ARGUMENT);
    d = data(AMI, NULL);
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, &other), FC_STATUS_NULL_ARGUMENT);
    d = data(AMI, "m5.large");
    EXPECT(fc_catalog_create_template(&catalog, NULL, &d, NULL, &other), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template(&catalog, NOT_UTF8, &d, NULL, &other), FC_STATUS_NOT_UTF8);
    EXPECT(fc_catalog_create_template(&catalog, "web", NULL, NULL, &other),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template(&catalog, "web", &d, NULL, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template(&never_initialised, "web", &d, NULL, &other),
           FC_STATUS_UNINITIALIZED);
    UNCHANGED();
    CHECK(memcmp(&other, &sensor, sizeof other) == 0);

    /* Versions 2 and 3 (Spot, from an instance-store image), default 2, delete 3: the next is 4. */
    d = data(AMI, "board-v2.small");
    OK(fc_catalog_create_template_version(&catalog, &sensor, &d, "v2", &version));
    CHECK(version == 2);
    d = data(AMI_STORE, "m5.large");
    d.market = FC_MARKET_SPOT;
    d.spot_request = FC_SPOT_REQUEST_PERSISTENT;
    d.spot_interruption = FC_INTERRUPTION_BEHAVIOR_STOP;
    OK(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, &version));
    CHECK(version == 3);
    OK(fc_catalog_set_default_version(&catalog, &sensor, 2));
    EXPECT(fc_catalog_delete_template_version(&catalog, &sensor, 2),
           FC_STATUS_DELETE_DEFAULT_VERSION);
    OK(fc_catalog_delete_template_version(&catalog, &sensor, 3));
    d = data(AMI_STORE, "m5.large");
    OK(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, &version));
    CHECK(version == 4);

    SNAP();
    version = 77;
    OK(fc_template_id_parse("lt-0000000000000009f", &other));
    d = data(AMI, "m5.large");
    EXPECT(fc_catalog_create_template_version(&catalog, &other, &d, NULL, &version),
           FC_STATUS_UNKNOWN_TEMPLATE);
    d = data("ami-00000000000000777", "m5.large");
    EXPECT(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, &version),
           FC_STATUS_UNKNOWN_IMAGE);
    d = data(AMI, "m5.large");
    EXPECT(fc_catalog_create_template_version(&catalog, &sensor, &d, long_text, &version),
           FC_STATUS_TOO_LONG);
    id = sensor;
    id.len = 5;
    EXPECT(fc_catalog_create_template_version(&catalog, &id, &d, NULL, &version),
           FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_catalog_create_template_version(&catalog, NULL, &d, NULL, &version),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template_version(&catalog, &sensor, NULL, NULL, &version),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, NULL),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_create_template_version(&never_initialised, &sensor, &d, NULL, &version),
           FC_STATUS_UNINITIALIZED);
    EXPECT(fc_catalog_set_default_version(&catalog, &sensor, 3), FC_STATUS_UNKNOWN_VERSION);
    EXPECT(fc_catalog_set_default_version(&catalog, &other, 1), FC_STATUS_UNKNOWN_TEMPLATE);
    EXPECT(fc_catalog_set_default_version(&catalog, &id, 1), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_catalog_set_default_version(&catalog, NULL, 1), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_set_default_version(&never_initialised, &sensor, 1),
           FC_STATUS_UNINITIALIZED);
    EXPECT(fc_catalog_delete_template_version(&catalog, &sensor, 3), FC_STATUS_UNKNOWN_VERSION);
    EXPECT(fc_catalog_delete_template_version(&catalog, &other, 1), FC_STATUS_UNKNOWN_TEMPLATE);
    EXPECT(fc_catalog_delete_template_version(&catalog, &id, 1), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_catalog_delete_template_version(&catalog, NULL, 1), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_delete_template_version(&never_initialised, &sensor, 1),
           FC_STATUS_UNINITIALIZED);
    UNCHANGED();
    CHECK(version == 77);

    /* Lookup by name. */
    memset(&info, 0, sizeof info);
    OK(fc_catalog_template_by_name(&catalog, "sensor-node", &info));
    CHECK(memcmp(&info.id, &sensor, sizeof sensor) == 0);
    CHECK(info.default_version == 2 && info.latest_version == 4 && info.version_count == 3);
    memset(&info, 0x5a, sizeof info);
    EXPECT(fc_catalog_template_by_name(&catalog, "nope", &info), FC_STATUS_UNKNOWN_TEMPLATE);
    EXPECT(fc_catalog_template_by_name(&catalog, NOT_UTF8, &info), FC_STATUS_NOT_UTF8);
    EXPECT(fc_catalog_template_by_name(&catalog, NULL, &info), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_template_by_name(&catalog, "sensor-node", NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_template_by_name(&never_initialised, "sensor-node", &info),
           FC_STATUS_UNINITIALIZED);
    CHECK(info.default_version == 0x5a5a5a5a);

    /* Versions fill up at FC_CATALOG_MAX_VERSIONS. */
    d = data(AMI, "m6g.large"); /* AMI is arm64: an m5.large would be refused at launch. */
    for (n = 3; n < (int)FC_CATALOG_MAX_VERSIONS; n++) {
        OK(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, &version));
    }
    SNAP();
    EXPECT(fc_catalog_create_template_version(&catalog, &sensor, &d, NULL, &version),
           FC_STATUS_CATALOG_FULL);
    UNCHANGED();

    /* Templates fill up at FC_CATALOG_MAX_TEMPLATES. */
    for (n = 1; n < (int)FC_CATALOG_MAX_TEMPLATES; n++) {
        char name[16];
        snprintf(name, sizeof name, "filler-%d", n);
        OK(fc_catalog_create_template(&catalog, name, &d, NULL, &other));
    }
    SNAP();
    EXPECT(fc_catalog_create_template(&catalog, "one-too-many", &d, NULL, &other),
           FC_STATUS_CATALOG_FULL);
    UNCHANGED();
}

static void test_launch_specs(void) {
    fc_launch_spec spec, keep, bad;
    fc_instance_id id;
    uint32_t state;
    fc_image i;

    OK(fc_catalog_launch_spec(&catalog, &sensor, "$Default", &spec));
    CHECK(strcmp(spec.image_id, AMI) == 0 && strcmp(spec.instance_type, "board-v2.small") == 0);
    CHECK(spec.root_device_type == FC_ROOT_DEVICE_TYPE_EBS);
    CHECK(spec.shutdown_behavior == FC_SHUTDOWN_BEHAVIOR_STOP && spec.market == FC_MARKET_ON_DEMAND);
    CHECK(spec.has_template && spec.template_version == 2);
    CHECK(memcmp(&spec.template_id, &sensor, sizeof sensor) == 0);
    OK(fc_catalog_launch_spec(&catalog, &sensor, "1", &spec));
    CHECK(spec.template_version == 1 && spec.shutdown_behavior == FC_SHUTDOWN_BEHAVIOR_TERMINATE);
    OK(fc_catalog_launch_spec(&catalog, &sensor, "4", &spec));
    CHECK(spec.template_version == 4 && strcmp(spec.image_id, AMI_STORE) == 0);
    CHECK(spec.root_device_type == FC_ROOT_DEVICE_TYPE_INSTANCE_STORE);
    OK(fc_catalog_launch_spec(&catalog, &sensor, "$Latest", &spec));
    CHECK(spec.template_version == FC_CATALOG_MAX_VERSIONS + 1);

    memset(&keep, 0x5a, sizeof keep);
    spec = keep;
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, "0", &spec), FC_STATUS_INVALID_VERSION_SPEC);
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, "latest", &spec),
           FC_STATUS_INVALID_VERSION_SPEC);
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, "3", &spec), FC_STATUS_UNKNOWN_VERSION);
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, NOT_UTF8, &spec), FC_STATUS_NOT_UTF8);
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, NULL, &spec), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_launch_spec(&catalog, NULL, "1", &spec), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_launch_spec(&catalog, &sensor, "1", NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_catalog_launch_spec(&never_initialised, &sensor, "1", &spec),
           FC_STATUS_UNINITIALIZED);
    CHECK(memcmp(&spec, &keep, sizeof spec) == 0);

    /* A copy is a catalog too (no pointers inside). */
    memcpy(&copy, &catalog, sizeof catalog);
    OK(fc_catalog_launch_spec(&copy, &sensor, "$Default", &spec));
    CHECK(spec.template_version == 2);

    /* Deregistering the image makes its versions fail to resolve; registering it again heals. */
    OK(fc_catalog_deregister_image(&copy, AMI));
    EXPECT(fc_catalog_launch_spec(&copy, &sensor, "$Default", &spec), FC_STATUS_UNKNOWN_IMAGE);
    i = image(AMI, "sensor node (v2)");
    OK(fc_catalog_register_image(&copy, &i));
    OK(fc_catalog_launch_spec(&copy, &sensor, "$Default", &spec));

    /* The fleet launches a resolved spec as it is. */
    OK(fc_fleet_init(&fleet, 42, 0));
    OK(fc_catalog_launch_spec(&catalog, &sensor, "$Default", &spec));
    OK(fc_fleet_launch_spec(&fleet, NOW, &spec, &id));
    OK(fc_fleet_state(&fleet, &id, &state));
    CHECK(state == FC_INSTANCE_STATE_PENDING);
    OK(fc_fleet_report(&fleet, NOW + 1000, &id, FC_REPORT_BOOTED));
    OK(fc_fleet_state(&fleet, &id, &state));
    CHECK(state == FC_INSTANCE_STATE_RUNNING);
    /* Version 4's instance-store root: the instance cannot stop. */
    OK(fc_catalog_launch_spec(&catalog, &sensor, "4", &spec));
    OK(fc_fleet_launch_spec(&fleet, NOW, &spec, &id));
    OK(fc_fleet_report(&fleet, NOW + 1000, &id, FC_REPORT_BOOTED));
    EXPECT(fc_fleet_stop(&fleet, NOW + 2000, &id, false), FC_STATUS_INSTANCE_STORE_ROOT);

    /* Bad specs. */
    memset(&id, 0x5a, sizeof id);
    bad = spec;
    bad.hibernation_configured = true; /* needs an EBS root */
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_INVALID_LAUNCH);
    bad = spec;
    memset(bad.image_id, 'a', sizeof bad.image_id);
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_ID_BAD_LENGTH);
    bad = spec;
    memset(bad.instance_type, 'a', sizeof bad.instance_type);
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_INVALID_TYPE_NAME);
    bad = spec;
    memcpy(bad.instance_type, NOT_UTF8, sizeof NOT_UTF8);
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_NOT_UTF8);
    bad = spec;
    bad.root_device_type = 9;
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_INVALID_ENUM_VALUE);
    bad = spec;
    bad.shutdown_behavior = 9;
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_INVALID_ENUM_VALUE);
    bad = spec;
    bad.market = 9;
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_INVALID_ENUM_VALUE);
    bad = spec;
    bad.template_id.len = 3;
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &bad, &id), FC_STATUS_ID_BAD_LENGTH);
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, NULL, &id), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch_spec(&fleet, NOW, &spec, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_fleet_launch_spec(NULL, NOW, &spec, &id), FC_STATUS_NULL_ARGUMENT);
    CHECK(id.len == 0x5a);
}

static void test_statuses(void) {
    CHECK(FC_STATUS_UNKNOWN_INSTANCE_TYPE == 1400 && FC_STATUS_VERSION_QUOTA == 1415);
    /* The core's text, with the example values of fc_status_message. */
    CHECK(strcmp(status_text(FC_STATUS_DELETE_DEFAULT_VERSION),
                 "version 1 is the default version and cannot be deleted; set another default "
                 "first") == 0);
}

/* A custom type states its architecture and a launch checks the image against it, as EC2's
 * RunInstances refuses an arm64 AMI on an x86_64 type with InvalidParameterValue (SEMANTICS §7;
 * the core's a_custom_type_checks_the_image_architecture). */
static void test_custom_architecture(void) {
    static fc_catalog c;
    fc_instance_type t;
    fc_image img = image(AMI, "arm-node"); /* arm64 */
    fc_template_data d = data(AMI, "pi4.board");
    fc_template_id lt;
    fc_launch_spec spec, keep;
    uint32_t v;
    OK(fc_catalog_init(&c, 3));
    OK(fc_catalog_register_image(&c, &img));
    t = board("pi4.board");
    t.architecture = FC_ARCHITECTURE_X86_64;
    OK(fc_catalog_add_instance_type(&c, &t));
    memset(&t, 0, sizeof t);
    OK(fc_catalog_instance_type(&c, "pi4.board", &t));
    CHECK(t.architecture == FC_ARCHITECTURE_X86_64);
    OK(fc_catalog_create_template(&c, "boards", &d, NULL, &lt));
    memset(&keep, 0x5a, sizeof keep);
    spec = keep;
    EXPECT(fc_catalog_launch_spec(&c, &lt, "$Latest", &spec), FC_STATUS_ARCHITECTURE_MISMATCH);
    CHECK(memcmp(&spec, &keep, sizeof spec) == 0);
    /* EC2's text, with the example values of fc_status_message. */
    CHECK(strcmp(status_text(FC_STATUS_ARCHITECTURE_MISMATCH),
                 "The architecture 'x86_64' of the specified instance type does not match the "
                 "architecture 'arm64' of the specified AMI. Specify an instance type and an AMI "
                 "that have matching architectures, and try again.") == 0);
    /* An arm64 board takes the image. */
    t = board("pi5.board");
    OK(fc_catalog_add_instance_type(&c, &t));
    d.instance_type = "pi5.board";
    OK(fc_catalog_create_template_version(&c, &lt, &d, NULL, &v));
    OK(fc_catalog_launch_spec(&c, &lt, "$Latest", &spec));
    CHECK(strcmp(spec.instance_type, "pi5.board") == 0);
    /* Built-in types report the architecture their family has. */
    OK(fc_catalog_instance_type(&c, "m6g.large", &t));
    CHECK(t.architecture == FC_ARCHITECTURE_ARM64);
    OK(fc_catalog_instance_type(&c, "m5.large", &t));
    CHECK(t.architecture == FC_ARCHITECTURE_X86_64);
    t = board("pi6.board");
    t.architecture = 5;
    EXPECT(fc_catalog_add_instance_type(&c, &t), FC_STATUS_INVALID_ENUM_VALUE);
}

int main(void) {
    test_statuses();
    test_init_and_types();
    test_images();
    test_templates();
    test_launch_specs();
    test_custom_architecture();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
