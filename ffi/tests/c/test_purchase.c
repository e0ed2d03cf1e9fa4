/*
 * Purchasing through the fleetcore C ABI (SEMANTICS §4, §1.4, §2.12), with the generated header
 * only: the price table, the mixed-instances split of SEMANTICS §4.5, launch actions that say
 * their market and type, the cost ledger and a reservation, Spot interruptions and Capacity
 * Rebalancing, and every purchasing status, each bad call leaving the group's snapshot
 * byte-for-byte unchanged. Built by scripts/c-tests.sh with -std=c11 -Wall -Wextra -Werror
 * -pedantic, run under ASan/UBSan (staticlib) and Valgrind (cdylib). The last line of output is
 * "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

static const char *const TEMPLATE = "lt-0123456789abcdef0";
static const uint64_t T0 = 1711843200000u; /* 2024-03-31T00:00:00Z, on a clock-hour */
static const uint64_t HOUR = 3600000u;

/* Price-table indices: the order of TYPES below. */
enum { M5 = 0, C5 = 1 };

static const fc_priced_type TYPES[2] = {
    {"m5.large", 96000}, /* 0.096/h */
    {"c5.large", 85000}, /* 0.085/h */
};

/* Spot pools in zones 0 and 1: m5.large 0.035/h and deep, c5.large 0.030/h and half as deep. */
static const fc_spot_pool POOLS[4] = {
    {M5, 0, 35000, 20},
    {C5, 0, 30000, 10},
    {M5, 1, 35000, 20},
    {C5, 1, 30000, 10},
};

static fc_group g;
static fc_group never_initialised;
static uint8_t before[65536];
static uint8_t after[65536];

/* A group of 0..max in zones a,b at desired 0. */
static void make(uint32_t max) {
    fc_group_config c;
    OK(fc_group_config_default(&c));
    c.min_size = 0;
    c.max_size = max;
    c.desired_capacity = 0;
    c.zones = "a,b";
    c.template_id = TEMPLATE;
    c.template_version = 3;
    c.seed = 7;
    OK(fc_group_init(&g, &c));
}

/* The policy of the tests: m5.large then c5.large, both weight 1 unless given,
 * price-capacity-optimized Spot. `overrides` must outlive the call it is passed to. */
static fc_mixed_instances policy(uint32_t base, uint8_t percent, fc_override overrides[2]) {
    fc_mixed_instances p;
    memset(&p, 0xAB, sizeof p);
    OK(fc_mixed_instances_default(&p));
    p.on_demand_base = base;
    p.on_demand_percent = percent;
    p.spot_strategy = FC_SPOT_STRATEGY_PRICE_CAPACITY_OPTIMIZED;
    p.overrides = overrides;
    p.override_count = 2;
    return p;
}

/* A priced group with the policy of the tests, at desired 0. */
static void mixed(uint32_t max, uint32_t base, uint8_t percent, bool rebalance) {
    fc_override o[2] = {{M5, 1}, {C5, 1}};
    fc_mixed_instances p = policy(base, percent, o);
    p.capacity_rebalance = rebalance;
    make(max);
    OK(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));
    OK(fc_group_set_mixed_instances(&g, &p));
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

static void observe(uint64_t now, uint32_t kind, const fc_instance_id *id, fc_status want) {
    fc_group_event e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.id = *id;
    EXPECT(fc_group_observe(&g, now, &e), want);
}

/* Ticks with room for 16 into `out`; returns the count. */
static size_t tick(uint64_t now, fc_group_action *out) {
    size_t n = 999;
    OK(fc_group_tick(&g, now, out, 16, &n));
    return n;
}

/* Ticks, boots every launch and ends every termination at `now`, until nothing is due; returns
 * the number of actions. */
static size_t run(uint64_t now) {
    fc_group_action a[16];
    size_t total = 0;
    int round;
    for (round = 0; round < 64; round++) {
        size_t n = tick(now, a);
        size_t i;
        if (n == 0) {
            break;
        }
        total += n;
        for (i = 0; i < n; i++) {
            if (a[i].kind == FC_GROUP_ACTION_KIND_LAUNCH || a[i].kind == FC_GROUP_ACTION_KIND_START) {
                observe(now, FC_GROUP_EVENT_KIND_BOOTED, &a[i].id, FC_STATUS_OK);
            } else if (a[i].kind == FC_GROUP_ACTION_KIND_TERMINATE) {
                observe(now, FC_GROUP_EVENT_KIND_TERMINATED, &a[i].id, FC_STATUS_OK);
            }
        }
    }
    return total;
}

static fc_group_member member(uint32_t index) {
    fc_group_member m;
    memset(&m, 0, sizeof m);
    OK(fc_group_member_at(&g, index, &m));
    return m;
}

static void units(uint32_t *od, uint32_t *spot) {
    fc_group_info i = info_of();
    *od = i.on_demand_units;
    *spot = i.spot_units;
}

/* The group's snapshot into `buf`; its length. */
static size_t snap(uint8_t *buf) {
    size_t n = 0;
    OK(fc_group_snapshot(&g, buf, sizeof before, &n));
    return n;
}

/* Takes the "before" snapshot for unchanged(). */
static size_t held;
static void hold(void) { held = snap(before); }

/* The group's snapshot still equals the one hold() took. */
static int unchanged(void) {
    size_t n = snap(after);
    return n == held && memcmp(before, after, n) == 0;
}

#define UNCHANGED() check(unchanged(), "group unchanged", __LINE__)

static void test_statuses(void) {
    CHECK(FC_STATUS_MEMBER_NOT_SPOT == 1131 && FC_STATUS_WARM_POOL_WITH_MIXED_INSTANCES == 1132);
    CHECK(FC_STATUS_NO_PRICES == 1133);
    CHECK(FC_STATUS_UNPRICED_TYPE == 1900 && FC_STATUS_DUPLICATE_PRICED_TYPE == 1901);
    CHECK(FC_STATUS_UNKNOWN_SPOT_POOL == 1902 && FC_STATUS_ZONE_OUT_OF_RANGE == 1903);
    CHECK(FC_STATUS_MAX_PRICE_TOO_LOW == 1904 && FC_STATUS_INVALID_WEIGHT == 1905);
    CHECK(FC_STATUS_INVALID_PERCENTAGE == 1906 && FC_STATUS_INVALID_POOL_COUNT == 1907);
    CHECK(FC_STATUS_INVALID_OVERRIDES == 1908 && FC_STATUS_INVALID_RESERVATION == 1909);
    CHECK(FC_STATUS_PURCHASE_FULL == 1910 && FC_STATUS_UNMETERED_MEMBER == 1911);
    CHECK(FC_STATUS_ALREADY_METERED == 1912 && FC_STATUS_TIME_WENT_BACK == 1913);
    CHECK(FC_STATUS_UNALIGNED_INTERVAL == 1914 && FC_STATUS_REVERSED_INTERVAL == 1915);
    CHECK(FC_STATUS_INTERVAL_NOT_KEPT == 1916);
    {
        unsigned code;
        for (code = 1131; code <= 1133; code++) {
            CHECK(strcmp(status_text(code), "unknown status") != 0);
        }
        for (code = 1900; code <= 1916; code++) {
            CHECK(strcmp(status_text(code), "unknown status") != 0);
        }
        CHECK(strcmp(status_text(1917), "unknown status") == 0);
    }
    CHECK(strcmp(status_text(FC_STATUS_NO_PRICES),
                 "the group has no price table; give it one with set_prices first") == 0);
    CHECK(FC_MONEY_EXACT_PER_MICRO == 3600);
}

/* SEMANTICS §4.5: base 10 / 50 % at 40 => 25 On-Demand + 15 Spot; base 0 / 60 % at 10 =>
 * 6 + 4; base 12 / 0 % at 10 => 10 On-Demand. */
static void test_split_table(void) {
    static const uint32_t rows[3][5] = {
        {10, 50, 40, 25, 15},
        {0, 60, 10, 6, 4},
        {12, 0, 10, 10, 0},
    };
    int r;
    for (r = 0; r < 3; r++) {
        uint32_t od = 0;
        uint32_t spot = 0;
        mixed(FC_GROUP_MAX_MEMBERS, rows[r][0], (uint8_t)rows[r][1], false);
        OK(fc_group_set_desired(&g, T0, rows[r][2], false));
        run(T0);
        units(&od, &spot);
        if (od != rows[r][3] || spot != rows[r][4]) {
            printf("base %u / %u %% at %u: %u + %u\n", rows[r][0], rows[r][1], rows[r][2], od,
                   spot);
        }
        CHECK(od == rows[r][3] && spot == rows[r][4]);
        CHECK(get(capacity) == rows[r][2]);
        CHECK(get(in_service_units) == rows[r][2]);
        CHECK(get(in_service) == rows[r][2]);
    }
}

/* Weights count units: all Spot, m5.large 2 units and c5.large 3, desired 10. */
static void test_weights(void) {
    fc_override o[2] = {{M5, 2}, {C5, 3}};
    fc_mixed_instances p = policy(0, 0, o);
    uint32_t cap;
    make(FC_GROUP_MAX_MEMBERS);
    OK(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));
    OK(fc_group_set_mixed_instances(&g, &p));
    OK(fc_group_set_desired(&g, T0, 10, false));
    run(T0);
    cap = get(capacity);
    CHECK(cap >= 10 && cap < 13); /* overshoot by less than the largest weight */
    CHECK(get(in_service_units) == cap);
    CHECK(get(member_count) < 10);
    {
        fc_group_member m = member(0);
        CHECK(m.market == FC_MARKET_SPOT);
        CHECK((m.instance_type == M5 && m.weight == 2) || (m.instance_type == C5 && m.weight == 3));
    }
}

/* The price table read back, launch actions that say what they bought, and the ledger after
 * an hour of one On-Demand m5.large and one Spot instance. */
static void test_prices_actions_and_ledger(void) {
    fc_group_action a[16];
    char text[FC_GROUP_ACTION_TEXT_SIZE];
    char name[FC_GROUP_TYPE_NAME_MAX + 1];
    fc_spot_pool pool;
    fc_spend s;
    fc_spend hour;
    size_t n = 0;
    size_t i;
    uint8_t index = 99;
    uint64_t micros = 0;
    uint64_t spot_price = 0;
    int spot_launch = -1;
    int od_launch = -1;

    mixed(FC_GROUP_MAX_MEMBERS, 1, 0, false);
    OK(fc_group_type_index(&g, "c5.large", &index));
    CHECK(index == C5);
    EXPECT(fc_group_type_index(&g, "t2.nano", &index), FC_STATUS_UNPRICED_TYPE);
    OK(fc_group_type_name(&g, C5, name, sizeof name, &n));
    CHECK(n == 8 && strcmp(name, "c5.large") == 0);
    EXPECT(fc_group_type_name(&g, 2, name, sizeof name, &n), FC_STATUS_INDEX_OUT_OF_RANGE);
    EXPECT(fc_group_type_name(&g, C5, name, 8, &n), FC_STATUS_BUFFER_TOO_SMALL);
    OK(fc_group_on_demand_price(&g, M5, &micros));
    CHECK(micros == 96000);
    OK(fc_group_spot_pool(&g, C5, 1, &pool));
    CHECK(pool.instance_type == C5 && pool.zone == 1 && pool.price_micros == 30000 &&
          pool.capacity == 10);
    EXPECT(fc_group_spot_pool(&g, C5, 5, &pool), FC_STATUS_UNKNOWN_SPOT_POOL);

    /* Desired 2 with base 1 and 0 % above it: one On-Demand, one Spot. */
    OK(fc_group_set_desired(&g, T0, 2, false));
    n = tick(T0, a);
    CHECK(n == 2);
    for (i = 0; i < n; i++) {
        CHECK(a[i].kind == FC_GROUP_ACTION_KIND_LAUNCH);
        if (a[i].market == FC_MARKET_SPOT) {
            spot_launch = (int)i;
        } else if (a[i].market == FC_MARKET_ON_DEMAND) {
            od_launch = (int)i;
        }
        observe(T0, FC_GROUP_EVENT_KIND_BOOTED, &a[i].id, FC_STATUS_OK);
    }
    CHECK(od_launch >= 0 && spot_launch >= 0);
    if (od_launch < 0 || spot_launch < 0) {
        return;
    }
    /* The base buys the first override On-Demand; its log line is the plain one. */
    CHECK(a[od_launch].instance_type == M5);
    OK(fc_group_action_format(&a[od_launch], text, sizeof text, &n));
    CHECK(strstr(text, " as ") == NULL);
    /* Spot goes to the cheapest deep pool per unit: c5.large. */
    CHECK(a[spot_launch].instance_type == C5);
    OK(fc_group_action_format(&a[spot_launch], text, sizeof text, &n));
    CHECK(n > 15 && strcmp(text + n - 15, " as spot type 1") == 0);
    OK(fc_group_spot_pool(&g, a[spot_launch].instance_type, a[spot_launch].zone, &pool));
    spot_price = pool.price_micros;
    {
        fc_group_action bad = a[spot_launch];
        bad.market = 7;
        EXPECT(fc_group_action_format(&bad, text, sizeof text, &n), FC_STATUS_INVALID_ENUM_VALUE);
    }

    /* An hour later: 0.096 On-Demand and the Spot pool's price, billed per second, exactly. */
    memset(&s, 0xAB, sizeof s);
    OK(fc_group_settle(&g, T0 + HOUR, &s));
    CHECK(s.on_demand_micros == 96000 && s.on_demand_exact == 96000u * FC_MONEY_EXACT_PER_MICRO);
    CHECK(s.spot_micros == spot_price && s.spot_exact == spot_price * 3600u);
    CHECK(s.reserved_exact == 0 && s.reserved_micros == 0);
    CHECK(s.total_exact == s.on_demand_exact + s.spot_exact);
    CHECK(s.total_micros == 96000 + spot_price);
    CHECK(s.on_demand_secs == 3600 && s.spot_secs == 3600 && s.covered_secs == 0);
    CHECK(s.coverage_permille == 0 && s.utilisation_permille == -1);
    /* The closed hour on its own says the same. */
    OK(fc_group_spend(&g, T0, T0 + HOUR, &hour));
    CHECK(memcmp(&hour, &s, sizeof s) == 0);
    OK(fc_group_spend(&g, T0 + HOUR, T0 + HOUR, &hour));
    CHECK(hour.total_exact == 0);

    /* Half an hour later the Spot price halves: the second half-hour is cheaper. */
    OK(fc_group_set_spot_price(&g, T0 + HOUR + HOUR / 2, a[spot_launch].instance_type,
                               a[spot_launch].zone, spot_price / 2));
    OK(fc_group_settle(&g, T0 + 2 * HOUR, &s));
    OK(fc_group_spend(&g, T0 + HOUR, T0 + 2 * HOUR, &hour));
    CHECK(hour.spot_exact == (spot_price * 1800u) + (spot_price / 2) * 1800u);
    CHECK(hour.on_demand_micros == 96000);

    /* Clearing the policy: launches are plain On-Demand of type 0 again. */
    OK(fc_group_clear_mixed_instances(&g));
    {
        fc_mixed_instances p;
        fc_override o[2];
        bool has = true;
        OK(fc_group_mixed_instances(&g, &p, o, 2, &has));
        CHECK(!has);
    }
    OK(fc_group_set_desired(&g, T0 + 2 * HOUR, 3, false));
    n = tick(T0 + 2 * HOUR, a);
    CHECK(n == 1 && a[0].market == FC_MARKET_ON_DEMAND && a[0].instance_type == 0);
}

/* A reservation covers the On-Demand base in the ledger (SEMANTICS §4.2). */
static void test_reservation(void) {
    fc_reservation r;
    fc_spend s;
    mixed(FC_GROUP_MAX_MEMBERS, 2, 0, false);
    memset(&r, 0, sizeof r);
    r.instance_type = M5;
    r.count = 1;
    r.scope = FC_RESERVATION_SCOPE_REGIONAL;
    r.size_flexible = true;
    r.term = FC_RESERVATION_TERM_ONE_YEAR;
    r.payment = FC_RESERVATION_PAYMENT_NO_UPFRONT;
    r.hourly_micros = 60000;
    r.start_ms = T0;
    OK(fc_group_reserve(&g, &r));
    OK(fc_group_set_desired(&g, T0, 2, false));
    run(T0);
    /* Two On-Demand m5.large for an hour: one covered, one at the On-Demand rate. */
    OK(fc_group_settle(&g, T0 + HOUR, &s));
    OK(fc_group_spend(&g, T0, T0 + HOUR, &s));
    CHECK(s.covered_secs == 3600 && s.on_demand_secs == 7200);
    CHECK(s.reserved_micros == 60000 && s.on_demand_micros == 96000);
    CHECK(s.covered_value_exact == 96000u * 3600u);
    CHECK(s.coverage_permille == 500 && s.utilisation_permille == 1000);
}

/* Spot interruptions and Capacity Rebalancing (SEMANTICS §1.4, §2.12). */
static void test_spot_and_rebalancing(void) {
    fc_group_action a[16];
    fc_instance_id ids[FC_GROUP_MAX_MEMBERS];
    fc_group_member old;
    fc_group_member fresh;
    size_t n = 0;
    size_t i;
    uint32_t count;

    /* Four Spot members with Capacity Rebalancing. */
    mixed(FC_GROUP_MAX_MEMBERS, 0, 0, true);
    OK(fc_group_set_desired(&g, T0, 4, false));
    run(T0);
    CHECK(get(member_count) == 4 && get(capacity) == 4);
    old = member(0);
    CHECK(old.market == FC_MARKET_SPOT && old.spot_signal == FC_SPOT_SIGNAL_NONE);
    CHECK(!old.has_replaces && old.replaces.len == 0);

    /* A notice: the replacement launches at once, into another pool. */
    observe(T0 + 100000, FC_GROUP_EVENT_KIND_SPOT_INTERRUPTION, &old.id, FC_STATUS_OK);
    CHECK(member(0).spot_signal == FC_SPOT_SIGNAL_NOTICE);
    n = tick(T0 + 100000, a);
    CHECK(n == 1 && a[0].kind == FC_GROUP_ACTION_KIND_LAUNCH && a[0].market == FC_MARKET_SPOT);
    CHECK(get(member_count) == 5);
    fresh = member(4);
    CHECK(fresh.has_replaces && memcmp(&fresh.replaces, &old.id, sizeof old.id) == 0);
    CHECK(fresh.instance_type != old.instance_type || fresh.zone != old.zone);
    /* The old member stands down: capacity stays at desired, nothing is scaled in. */
    CHECK(get(capacity) == 4);
    observe(T0 + 100000, FC_GROUP_EVENT_KIND_BOOTED, &fresh.id, FC_STATUS_OK);
    CHECK(run(T0 + 100000) == 0);
    /* EC2 ends it two minutes later; the group does not launch again. */
    observe(T0 + 220000, FC_GROUP_EVENT_KIND_TERMINATED, &old.id, FC_STATUS_OK);
    CHECK(run(T0 + 220000) == 0);
    CHECK(get(member_count) == 4 && get(capacity) == 4);
    CHECK(!member(3).has_replaces); /* the replaced member is gone */

    /* A recommendation: a replacement, then the old one terminates once it serves. */
    old = member(0);
    observe(T0 + 300000, FC_GROUP_EVENT_KIND_REBALANCE_RECOMMENDATION, &old.id, FC_STATUS_OK);
    CHECK(member(0).spot_signal == FC_SPOT_SIGNAL_REBALANCE);
    n = tick(T0 + 300000, a);
    CHECK(n == 1 && a[0].kind == FC_GROUP_ACTION_KIND_LAUNCH);
    if (n == 1) {
        observe(T0 + 360000, FC_GROUP_EVENT_KIND_BOOTED, &a[0].id, FC_STATUS_OK);
    }
    n = tick(T0 + 360000, a);
    CHECK(n == 1 && a[0].kind == FC_GROUP_ACTION_KIND_TERMINATE &&
          memcmp(&a[0].id, &old.id, sizeof old.id) == 0);
    if (n == 1) {
        observe(T0 + 360000, FC_GROUP_EVENT_KIND_TERMINATED, &a[0].id, FC_STATUS_OK);
    }
    CHECK(get(member_count) == 4);

    /* c5.large in zone 0 rises above its On-Demand price, the default max price: EC2
     * interrupts those members. */
    OK(fc_group_price_interruptions(&g, ids, FC_GROUP_MAX_MEMBERS, &n));
    CHECK(n == 0);
    OK(fc_group_set_spot_price(&g, T0 + 600000, C5, 0, 90000));
    OK(fc_group_price_interruptions(&g, ids, FC_GROUP_MAX_MEMBERS, &n));
    count = 0;
    for (i = 0; i < get(member_count); i++) {
        fc_group_member m = member((uint32_t)i);
        count += (m.instance_type == C5 && m.zone == 0) ? 1u : 0u;
    }
    CHECK(n == count);
    if (n > 0) {
        size_t small = 7;
        EXPECT(fc_group_price_interruptions(&g, ids, n - 1, &small), FC_STATUS_BUFFER_TOO_SMALL);
        CHECK(small == 7);
        for (i = 0; i < n; i++) {
            observe(T0 + 600000, FC_GROUP_EVENT_KIND_SPOT_INTERRUPTION, &ids[i], FC_STATUS_OK);
        }
        OK(fc_group_price_interruptions(&g, ids, FC_GROUP_MAX_MEMBERS, &n));
        CHECK(n == 0); /* noticed members are not listed again */
    }
}

/* The policy read back and passed in again. */
static void test_policy_round_trip(void) {
    fc_override o[2] = {{C5, 3}, {M5, 1}};
    fc_mixed_instances p = policy(4, 25, o);
    fc_mixed_instances back;
    fc_override back_o[FC_GROUP_MAX_TYPES];
    bool has = false;
    p.on_demand_strategy = FC_ON_DEMAND_STRATEGY_LOWEST_PRICE;
    p.spot_strategy = FC_SPOT_STRATEGY_LOWEST_PRICE;
    p.spot_pools = 3;
    p.spot_max_price_micros = 50000;
    p.capacity_rebalance = true;
    make(FC_GROUP_MAX_MEMBERS);
    OK(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, FC_UPFRONT_ACCOUNTING_AMORTIZED));
    OK(fc_group_set_mixed_instances(&g, &p));
    EXPECT(fc_group_mixed_instances(&g, &back, back_o, 1, &has), FC_STATUS_BUFFER_TOO_SMALL);
    CHECK(!has);
    OK(fc_group_mixed_instances(&g, &back, back_o, FC_GROUP_MAX_TYPES, &has));
    CHECK(has && back.override_count == 2 && back.overrides == back_o);
    CHECK(back_o[0].instance_type == C5 && back_o[0].weight == 3 && back_o[1].instance_type == M5);
    CHECK(back.on_demand_base == 4 && back.on_demand_percent == 25 && back.spot_pools == 3);
    CHECK(back.on_demand_strategy == FC_ON_DEMAND_STRATEGY_LOWEST_PRICE);
    CHECK(back.spot_max_price_micros == 50000 && back.capacity_rebalance);
    hold();
    OK(fc_group_set_mixed_instances(&g, &back));
    UNCHANGED();
}

/* Every bad call is refused with its status and leaves the group as it was. */
static void test_refusals(void) {
    fc_override o[2] = {{M5, 1}, {C5, 1}};
    fc_mixed_instances p = policy(0, 50, o);
    fc_priced_type bad_types[2];
    fc_spot_pool bad_pool;
    fc_reservation r;
    fc_spend s;
    fc_group_member m;
    int i;

    /* Before a price table. */
    make(8);
    hold();
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_NO_PRICES);
    EXPECT(fc_group_settle(&g, T0, &s), FC_STATUS_NO_PRICES);
    EXPECT(fc_group_spend(&g, T0, T0, &s), FC_STATUS_NO_PRICES);
    EXPECT(fc_group_set_spot_price(&g, T0, M5, 0, 1), FC_STATUS_NO_PRICES);
    EXPECT(fc_group_set_spot_capacity(&g, M5, 0, 1), FC_STATUS_NO_PRICES);
    {
        uint8_t index = 0;
        EXPECT(fc_group_type_index(&g, "m5.large", &index), FC_STATUS_NO_PRICES);
    }
    memset(&r, 0, sizeof r);
    r.count = 1;
    r.scope = FC_RESERVATION_SCOPE_ZONAL;
    r.term = FC_RESERVATION_TERM_THREE_YEARS;
    r.payment = FC_RESERVATION_PAYMENT_ALL_UPFRONT;
    r.upfront_micros = 1000000;
    r.start_ms = T0;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_NO_PRICES);

    /* Bad price tables. */
    memcpy(bad_types, TYPES, sizeof TYPES);
    bad_types[1].name = "m5.huge";
    EXPECT(fc_group_set_prices(&g, T0, bad_types, 2, POOLS, 4, 0), FC_STATUS_UNKNOWN_INSTANCE_TYPE);
    bad_types[1].name = "M5 LARGE";
    EXPECT(fc_group_set_prices(&g, T0, bad_types, 2, POOLS, 4, 0), FC_STATUS_INVALID_TYPE_NAME);
    bad_types[1].name = "c5.\xff";
    EXPECT(fc_group_set_prices(&g, T0, bad_types, 2, POOLS, 4, 0), FC_STATUS_NOT_UTF8);
    bad_types[1].name = NULL;
    EXPECT(fc_group_set_prices(&g, T0, bad_types, 2, POOLS, 4, 0), FC_STATUS_NULL_ARGUMENT);
    bad_types[1].name = "m5.large";
    EXPECT(fc_group_set_prices(&g, T0, bad_types, 2, POOLS, 4, 0),
           FC_STATUS_DUPLICATE_PRICED_TYPE);
    EXPECT(fc_group_set_prices(&g, T0, NULL, 2, POOLS, 4, 0), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_set_prices(&g, T0, TYPES, 2, NULL, 4, 0), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, 2), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_group_set_prices(NULL, T0, TYPES, 2, POOLS, 4, 0), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_group_set_prices(&never_initialised, T0, TYPES, 2, POOLS, 4, 0),
           FC_STATUS_UNINITIALIZED);
    bad_pool = POOLS[0];
    bad_pool.instance_type = 2;
    EXPECT(fc_group_set_prices(&g, T0, TYPES, 2, &bad_pool, 1, 0), FC_STATUS_UNPRICED_TYPE);
    bad_pool.instance_type = M5;
    bad_pool.zone = FC_GROUP_MAX_ZONES;
    EXPECT(fc_group_set_prices(&g, T0, TYPES, 2, &bad_pool, 1, 0), FC_STATUS_ZONE_OUT_OF_RANGE);
    UNCHANGED();

    /* A group with members gets prices: they are metered as On-Demand of type 0. */
    OK(fc_group_set_desired(&g, T0, 2, false));
    run(T0);
    OK(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, FC_UPFRONT_ACCOUNTING_AT_PURCHASE));
    m = member(0);
    CHECK(m.market == FC_MARKET_ON_DEMAND && m.instance_type == 0 && m.weight == 1);
    CHECK(m.spot_signal == FC_SPOT_SIGNAL_NONE && !m.has_replaces);
    OK(fc_group_settle(&g, T0 + HOUR, &s));
    CHECK(s.on_demand_secs == 7200 && s.on_demand_micros == 2 * 96000);
    hold();

    /* Bad policies. */
    p.on_demand_percent = 101;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_PERCENTAGE);
    p.on_demand_percent = 50;
    o[1].weight = 1000;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_WEIGHT);
    o[1].weight = 0;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_WEIGHT);
    o[1].weight = 1;
    o[1].instance_type = M5;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_OVERRIDES);
    o[1].instance_type = 9;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_UNPRICED_TYPE);
    o[1].instance_type = C5;
    p.override_count = 0;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_OVERRIDES);
    p.override_count = FC_GROUP_MAX_TYPES + 1;
    p.overrides = NULL;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_NULL_ARGUMENT);
    p.overrides = o;
    p.override_count = 2;
    p.spot_pools = 0;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_POOL_COUNT);
    p.spot_pools = 21;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_POOL_COUNT);
    p.spot_pools = 2;
    p.spot_max_price_micros = 1000;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_MAX_PRICE_TOO_LOW);
    p.spot_max_price_micros = -2;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_GROUP_OUT_OF_RANGE);
    p.spot_max_price_micros = -1;
    p.spot_strategy = 4;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_ENUM_VALUE);
    p.spot_strategy = FC_SPOT_STRATEGY_CAPACITY_OPTIMIZED;
    p.on_demand_strategy = 2;
    EXPECT(fc_group_set_mixed_instances(&g, &p), FC_STATUS_INVALID_ENUM_VALUE);
    p.on_demand_strategy = FC_ON_DEMAND_STRATEGY_PRIORITIZED;
    EXPECT(fc_group_set_mixed_instances(&g, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_mixed_instances_default(NULL), FC_STATUS_NULL_ARGUMENT);
    UNCHANGED();

    /* Bad Spot updates, a table without a member's type, time going back. */
    EXPECT(fc_group_set_spot_price(&g, T0 + HOUR, M5, FC_GROUP_MAX_ZONES, 1),
           FC_STATUS_ZONE_OUT_OF_RANGE);
    EXPECT(fc_group_set_spot_price(&g, T0 + HOUR, 5, 0, 1), FC_STATUS_UNPRICED_TYPE);
    EXPECT(fc_group_set_spot_price(&g, T0, M5, 0, 1), FC_STATUS_TIME_WENT_BACK);
    EXPECT(fc_group_set_spot_capacity(&g, M5, 5, 1), FC_STATUS_UNKNOWN_SPOT_POOL);
    EXPECT(fc_group_set_prices(&g, T0 + HOUR, TYPES, 0, NULL, 0, 0), FC_STATUS_UNPRICED_TYPE);
    EXPECT(fc_group_set_prices(&g, T0, TYPES, 2, POOLS, 4, 0), FC_STATUS_TIME_WENT_BACK);
    EXPECT(fc_group_settle(&g, T0, &s), FC_STATUS_TIME_WENT_BACK);
    EXPECT(fc_group_settle(&g, T0 + 2 * HOUR, NULL), FC_STATUS_NULL_ARGUMENT);
    UNCHANGED();

    /* Bad intervals: fc_group_spend only reads. */
    EXPECT(fc_group_spend(&g, T0 + 1, T0 + HOUR, &s), FC_STATUS_UNALIGNED_INTERVAL);
    EXPECT(fc_group_spend(&g, T0 + HOUR, T0, &s), FC_STATUS_REVERSED_INTERVAL);
    EXPECT(fc_group_spend(&g, T0, T0 + 5 * HOUR, &s), FC_STATUS_INTERVAL_NOT_KEPT);
    EXPECT(fc_group_spend(&g, T0, T0 + HOUR, NULL), FC_STATUS_NULL_ARGUMENT);

    /* Bad reservations. */
    r.instance_type = M5;
    r.count = 0;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_RESERVATION);
    r.count = 1;
    r.hourly_micros = 5; /* All Upfront has no hourly charge */
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_RESERVATION);
    r.hourly_micros = 0;
    r.instance_type = 7;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_RESERVATION);
    r.instance_type = M5;
    r.zone = FC_GROUP_MAX_ZONES;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_ZONE_OUT_OF_RANGE);
    r.zone = 0;
    r.start_ms = T0; /* an hour the ledger closed */
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_RESERVATION);
    r.start_ms = T0 + HOUR;
    r.scope = 3;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_ENUM_VALUE);
    r.scope = FC_RESERVATION_SCOPE_ZONAL;
    r.payment = 0;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_ENUM_VALUE);
    r.payment = FC_RESERVATION_PAYMENT_ALL_UPFRONT;
    r.term = 0;
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_INVALID_ENUM_VALUE);
    r.term = FC_RESERVATION_TERM_ONE_YEAR;
    EXPECT(fc_group_reserve(&g, NULL), FC_STATUS_NULL_ARGUMENT);

    /* A Spot signal about an On-Demand member. */
    observe(T0 + HOUR, FC_GROUP_EVENT_KIND_SPOT_INTERRUPTION, &m.id, FC_STATUS_MEMBER_NOT_SPOT);
    observe(T0 + HOUR, FC_GROUP_EVENT_KIND_REBALANCE_RECOMMENDATION, &m.id,
            FC_STATUS_MEMBER_NOT_SPOT);
    UNCHANGED();

    /* The reservation table fills up at FC_GROUP_MAX_RESERVATIONS. */
    for (i = 0; i < (int)FC_GROUP_MAX_RESERVATIONS; i++) {
        OK(fc_group_reserve(&g, &r));
    }
    hold();
    EXPECT(fc_group_reserve(&g, &r), FC_STATUS_PURCHASE_FULL);
    UNCHANGED();

    /* Read-only functions refuse what they cannot use and write nothing. */
    {
        uint32_t od = 5;
        uint32_t spot = 5;
        size_t n = 5;
        fc_instance_id ids[1];
        EXPECT(fc_group_price_interruptions(&g, NULL, 1, &n), FC_STATUS_NULL_ARGUMENT);
        EXPECT(fc_group_price_interruptions(&g, ids, 1, NULL), FC_STATUS_NULL_ARGUMENT);
        CHECK(od == 5 && spot == 5 && n == 5);
    }
}

int main(void) {
    test_statuses();
    test_split_table();
    test_weights();
    test_prices_actions_and_ledger();
    test_reservation();
    test_spot_and_rebalancing();
    test_policy_round_trip();
    test_refusals();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
