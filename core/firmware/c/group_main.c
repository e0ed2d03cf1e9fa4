/*
 * A C `main` for Cortex-M firmware that drives an Auto Scaling group through the fleetcore C
 * ABI (ffi/include/fleetcore.h) and checks every result, in QEMU (mps2-an386). The Rust side
 * (src/bin/group_c.rs) only provides the reset handler, `fw_print` over semihosting and the exit
 * status; everything here is the header's API, freestanding C11 (no libc).
 *
 * The scenario: a group of 1..6 boards in two racks launches to desired; target tracking on
 * CPU scales it out when the boards report 90 %; a snapshot of the size it asks for; a
 * scale-in; a power loss (the storage wiped) and a restore from the snapshot, which must give
 * the same group and the same scale-in; a restore over the live group, and a corrupted
 * snapshot that must be refused without touching it.
 *
 * Returns 0 when every check held, else the number of failed checks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fleetcore.h"

void fw_print(const char *text);

static int failed;

/* Decimal text of `v` into `buf` (at least 21 bytes). */
static const char *num(uint64_t v, char *buf) {
    char *p = buf + 20;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    return p;
}

static void say(const char *a, uint64_t v, const char *b) {
    char line[128];
    char digits[21];
    size_t n = 0;
    const char *parts[3] = {a, num(v, digits), b};
    size_t i;
    for (i = 0; i < 3; i++) {
        const char *s = parts[i];
        while (s != NULL && *s != '\0' && n + 1 < sizeof line) {
            line[n++] = *s++;
        }
    }
    line[n] = '\0';
    fw_print(line);
}

static void check(bool ok, const char *what) {
    if (!ok) {
        failed++;
        fw_print("FAIL");
        fw_print(what);
    }
}

#define CHECK(cond) check((cond), #cond)
#define OK(call) check((call) == FC_STATUS_OK, #call)

static void zero(void *dst, size_t n) {
    unsigned char *d = dst;
    while (n-- > 0u) {
        *d++ = 0u;
    }
}

/* In .bss, as firmware keeps them: the group and a snapshot buffer. */
static fc_group group;
static uint8_t snapshot[8192];

static const uint64_t T0 = 1711843200000u; /* 2024-03-31T00:00:00Z */
#define MINUTE 60000u

/* The ids of the actions the last `step` wrote. */
static fc_instance_id acted[16];

/* Ticks, prints each action, and plays the world: launches boot, terminations end. */
static size_t step(fc_group *g, uint64_t now, bool print) {
    fc_group_action actions[16];
    size_t n = 0;
    size_t i;
    OK(fc_group_tick(g, now, actions, 16, &n));
    for (i = 0; i < n; i++) {
        fc_group_event e;
        acted[i] = actions[i].id;
        char text[FC_GROUP_ACTION_TEXT_SIZE];
        size_t written = 0;
        if (print && fc_group_action_format(&actions[i], text, sizeof text, &written) == FC_STATUS_OK) {
            fw_print(text);
        }
        zero(&e, sizeof e);
        e.id = actions[i].id;
        if (actions[i].kind == FC_GROUP_ACTION_KIND_LAUNCH) {
            e.kind = FC_GROUP_EVENT_KIND_BOOTED;
        } else if (actions[i].kind == FC_GROUP_ACTION_KIND_TERMINATE) {
            e.kind = FC_GROUP_EVENT_KIND_TERMINATED;
        } else {
            continue;
        }
        OK(fc_group_observe(g, now, &e));
    }
    return n;
}

/* The group's figures, read in one call. */
static fc_group_info info(const fc_group *g) {
    fc_group_info v;
    zero(&v, sizeof v);
    OK(fc_group_get_info(g, &v));
    return v;
}

static uint32_t in_service(const fc_group *g) {
    return info(g).in_service;
}

static uint32_t capacity(const fc_group *g) {
    return info(g).capacity;
}

static bool same_id(const fc_instance_id *a, const fc_instance_id *b) {
    size_t i;
    if (a->len != b->len || a->len > FC_INSTANCE_ID_DIGITS) {
        return false;
    }
    for (i = 0; i < a->len; i++) {
        if (a->digits[i] != b->digits[i]) {
            return false;
        }
    }
    return true;
}

/* What a restore must bring back: sizes and the members, by id and zone. */
typedef struct {
    uint32_t desired, capacity, in_service, count;
    fc_instance_id ids[8];
    uint8_t zones[8];
} shape;

static shape shape_of(const fc_group *g) {
    shape s;
    uint32_t i;
    zero(&s, sizeof s);
    {
        fc_group_info v = info(g);
        s.desired = v.desired;
        s.capacity = v.capacity;
        s.in_service = v.in_service;
        s.count = v.member_count;
    }
    for (i = 0; i < s.count && i < 8u; i++) {
        fc_group_member m;
        OK(fc_group_member_at(g, i, &m));
        s.ids[i] = m.id;
        s.zones[i] = m.zone;
    }
    return s;
}

static bool same_shape(const shape *a, const shape *b) {
    uint32_t i;
    if (a->desired != b->desired || a->capacity != b->capacity ||
        a->in_service != b->in_service || a->count != b->count || a->count > 8u) {
        return false;
    }
    for (i = 0; i < a->count; i++) {
        if (!same_id(&a->ids[i], &b->ids[i]) || a->zones[i] != b->zones[i]) {
            return false;
        }
    }
    return true;
}

int fc_firmware_group_main(void) {
    fc_group_config c;
    fc_target_tracking_policy tt;
    uint8_t cpu = 0;
    uint8_t policy = 0;
    uint32_t reporting = 0;
    fc_group_info lost;
    uint32_t k;
    uint64_t now = T0;

    fw_print("fleetcore group from C on cortex-m4 (qemu mps2-an386)");
    say("sizeof(fc_group) = ", sizeof(fc_group), " bytes");

    OK(fc_group_config_default(&c));
    c.min_size = 1;
    c.max_size = 6;
    c.desired_capacity = 2;
    c.zones = "rack-a, rack-b";
    c.template_id = "lt-0123456789abcdef0";
    c.template_version = 1;
    c.seed = 7;
    c.default_instance_warmup_ms = 0;
    OK(fc_group_init(&group, &c));
    CHECK(step(&group, now, true) == 2);
    CHECK(in_service(&group) == 2);
    say("in service: ", in_service(&group), "");

    /* Target tracking at 50 % CPU: boards at 90 % for a few minutes scale the group out. */
    OK(fc_group_put_metric(&group, "CPUUtilization", MINUTE, FC_METRIC_SOURCE_MEMBERS, &cpu));
    zero(&tt, sizeof tt);
    tt.metric = cpu;
    tt.target_milli = 50000;
    tt.warmup_ms = -1;
    OK(fc_group_put_target_tracking(&group, &tt, &policy));
    for (k = 0; k < 10; k++) {
        now += MINUTE;
        OK(fc_group_record_in_service(&group, now - MINUTE / 2, cpu, 90000, &reporting));
        CHECK(reporting == in_service(&group));
        (void)step(&group, now, true);
    }
    CHECK(in_service(&group) > 2 && capacity(&group) == in_service(&group));
    say("after the CPU alarm, in service: ", in_service(&group), "");

    /* A snapshot for the flash, of the size the group says it needs; then a scale-in to 1
     * (terminating 5: ticks play the world at once). */
    {
        size_t len = 0;
        size_t need = 0;
        size_t i;
        shape before = shape_of(&group);
        shape after;
        fc_instance_id ended[5];
        OK(fc_group_snapshot_len(&group, &need));
        OK(fc_group_snapshot(&group, snapshot, sizeof snapshot, &len));
        CHECK(len == need && len > 0u);
        say("snapshot: ", len, " bytes");
        OK(fc_group_set_desired(&group, now, 1, false));
        CHECK(step(&group, now, true) == 5);
        for (i = 0; i < 5u; i++) {
            ended[i] = acted[i];
        }
        CHECK(in_service(&group) == 1 && capacity(&group) == 1);
        say("after scale-in, in service: ", in_service(&group), "");

        /* Power loss: the storage is wiped (as .bss is at reset) and the group comes back from
         * the snapshot, decoded in place. */
        zero(&group, sizeof group);
        CHECK(fc_group_get_info(&group, &lost) == FC_STATUS_UNINITIALIZED);
        OK(fc_group_restore(&group, snapshot, len, 1));
        after = shape_of(&group);
        CHECK(same_shape(&before, &after));
        say("restored after power loss, in service: ", in_service(&group), "");

        /* It goes on as the original did: the same scale-in, member for member. */
        OK(fc_group_set_desired(&group, now, 1, false));
        CHECK(step(&group, now, false) == 5);
        for (i = 0; i < 5u; i++) {
            CHECK(same_id(&acted[i], &ended[i]));
        }
        CHECK(in_service(&group) == 1);
        fw_print("restored group scales in as the original did");

        /* A restore over a live group replaces it in place; a corrupted snapshot is refused and
         * leaves the group as it was. */
        OK(fc_group_restore(&group, snapshot, len, 1));
        after = shape_of(&group);
        CHECK(same_shape(&before, &after));
        snapshot[len / 2u] ^= 0x5au;
        CHECK(fc_group_restore(&group, snapshot, len, 1) == FC_STATUS_SNAPSHOT_CHECKSUM);
        snapshot[len / 2u] ^= 0x5au;
        after = shape_of(&group);
        CHECK(same_shape(&before, &after));
        say("restored over the live group, in service: ", in_service(&group), "");
        fw_print("corrupted snapshot refused, group unchanged");
    }
    return failed;
}
