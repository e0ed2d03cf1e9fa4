/*
 * Network interfaces and security groups through the fleetcore C ABI (SEMANTICS §6), with the
 * generated header only: a VPC with a subnet, groups and rules (CIDR and group peers),
 * interfaces carrying them, and stateful filtering of packets: an allowed, a denied and a
 * tracked return packet, untracked flows, the source/destination check and port 25, flows
 * expiring; and the statuses of bad calls. Built by scripts/c-tests.sh with -std=c11 -Wall
 * -Wextra -Werror -pedantic, run under ASan/UBSan (staticlib) and Valgrind (cdylib). The last
 * line of output is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

_Static_assert(sizeof(fc_net) == FC_NET_SIZE, "fc_net is FC_NET_SIZE bytes");
_Static_assert(_Alignof(fc_net) == 8, "fc_net is 8-byte aligned");

static const uint64_t T0 = 1700000000000u;
static const uint64_t DAY = 86400000u;

static fc_net net;
static fc_net never_initialised;
static uint64_t subnet, web, db, client_sg, web_eni, db_eni, client_eni;
static uint8_t web_ip[4], db_ip[4], client_ip[4];
static const uint8_t INTERNET[4] = {198, 51, 100, 7};

static fc_sg_rule tcp_rule(uint16_t from, uint16_t to, const char *cidr) {
    fc_sg_rule r;
    memset(&r, 0, sizeof r);
    r.protocol = FC_RULE_PROTOCOL_TCP;
    r.from_port = from;
    r.to_port = to;
    r.peer_cidr = cidr;
    return r;
}

static fc_sg_rule all_rule(const char *cidr) {
    fc_sg_rule r;
    memset(&r, 0, sizeof r);
    r.protocol = FC_RULE_PROTOCOL_ALL;
    r.peer_cidr = cidr;
    return r;
}

static fc_packet tcp(const uint8_t src[4], uint16_t sport, const uint8_t dst[4], uint16_t dport) {
    fc_packet p;
    memset(&p, 0, sizeof p);
    memcpy(p.src, src, 4);
    memcpy(p.dst, dst, 4);
    p.protocol = 6;
    p.src_port = sport;
    p.dst_port = dport;
    return p;
}

static fc_verdict process(uint64_t now, uint64_t eni, uint32_t dir, fc_packet p) {
    fc_verdict v;
    memset(&v, 0xCC, sizeof v);
    OK(fc_net_process(&net, now, eni, dir, &p, &v));
    return v;
}

static void setup(void) {
    fc_sg_rule r;
    char text[FC_NET_ID_TEXT_SIZE];
    size_t n = 0;
    uint64_t def = 0;

    OK(fc_net_init(&net, "10.0.0.0/16", 42));
    OK(fc_net_create_subnet(&net, "10.0.1.0/24", "us-east-1a", &subnet));
    OK(fc_net_id_format(FC_NET_ID_KIND_SUBNET, subnet, text, sizeof text, &n));
    CHECK(n == 24 && strncmp(text, "subnet-", 7) == 0 && strlen(text) == n);
    OK(fc_net_default_security_group(&net, &def));

    /* web: HTTPS from anywhere; its outbound allow-all rule revoked, so replies pass only as
     * tracked flows. */
    OK(fc_net_create_security_group(&net, "web", &web));
    OK(fc_net_id_format(FC_NET_ID_KIND_SECURITY_GROUP, web, text, sizeof text, &n));
    CHECK(n == 20 && strncmp(text, "sg-", 3) == 0);
    CHECK(web != def);
    r = tcp_rule(443, 443, "0.0.0.0/0");
    OK(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r));
    r = all_rule("0.0.0.0/0");
    OK(fc_net_revoke(&net, web, FC_DIRECTION_OUTBOUND, &r));

    /* db: PostgreSQL from interfaces carrying web. */
    OK(fc_net_create_security_group(&net, "db", &db));
    r = tcp_rule(5432, 5432, NULL);
    r.peer_group = web;
    OK(fc_net_authorize(&net, db, FC_DIRECTION_INBOUND, &r));

    /* client: the default outbound rule, no inbound rule. */
    OK(fc_net_create_security_group(&net, "client", &client_sg));

    OK(fc_net_create_network_interface(&net, subnet, NULL, &web, 1, &web_eni));
    OK(fc_net_id_format(FC_NET_ID_KIND_NETWORK_INTERFACE, web_eni, text, sizeof text, &n));
    CHECK(n == 21 && strncmp(text, "eni-", 4) == 0);
    OK(fc_net_create_network_interface(&net, subnet, "10.0.1.50", &db, 1, &db_eni));
    OK(fc_net_create_network_interface(&net, subnet, NULL, &client_sg, 1, &client_eni));
    OK(fc_net_eni_address(&net, web_eni, web_ip));
    OK(fc_net_eni_address(&net, db_eni, db_ip));
    OK(fc_net_eni_address(&net, client_eni, client_ip));
    /* Lowest free first, after the four the subnet reserves. */
    CHECK(web_ip[0] == 10 && web_ip[1] == 0 && web_ip[2] == 1 && web_ip[3] == 4);
    CHECK(db_ip[3] == 50 && client_ip[3] == 5);
}

static void test_filtering(void) {
    fc_verdict v;
    fc_packet in = tcp(INTERNET, 50000, web_ip, 443);
    size_t expired = 99, live = 99;

    /* Allowed: inbound HTTPS, by web's rule 0; the flow is tracked from now on. */
    v = process(T0, web_eni, FC_DIRECTION_INBOUND, in);
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE && v.group == web && v.rule_index == 0);

    /* Denied: inbound SSH, no rule. */
    v = process(T0, web_eni, FC_DIRECTION_INBOUND, tcp(INTERNET, 50001, web_ip, 22));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE && v.group == 0);

    /* Tracked return: the reply goes out although web has no outbound rule ... */
    v = process(T0 + 1000, web_eni, FC_DIRECTION_OUTBOUND, tcp(web_ip, 443, INTERNET, 50000));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_FLOW);
    /* ... the rules alone would drop it ... */
    {
        fc_packet reply = tcp(web_ip, 443, INTERNET, 50000);
        OK(fc_net_evaluate(&net, web_eni, FC_DIRECTION_OUTBOUND, &reply, &v));
        CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);
    }
    /* ... and a new outbound connection is dropped. */
    v = process(T0 + 1000, web_eni, FC_DIRECTION_OUTBOUND, tcp(web_ip, 40000, INTERNET, 443));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);

    /* The other way round: client connects out (default outbound rule), the reply comes in
     * with no inbound rule. */
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(client_ip, 40000, INTERNET, 443));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE && v.group == client_sg);
    v = process(T0 + 10, client_eni, FC_DIRECTION_INBOUND, tcp(INTERNET, 443, client_ip, 40000));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_FLOW);
    v = process(T0 + 10, client_eni, FC_DIRECTION_INBOUND, tcp(INTERNET, 443, client_ip, 40001));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);

    /* A group peer: db takes 5432 from web's addresses only. */
    v = process(T0, db_eni, FC_DIRECTION_INBOUND, tcp(web_ip, 41000, db_ip, 5432));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE && v.group == db);
    v = process(T0, db_eni, FC_DIRECTION_INBOUND, tcp(client_ip, 41000, db_ip, 5432));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);

    /* Source/destination check, and port 25. */
    v = process(T0, db_eni, FC_DIRECTION_INBOUND, tcp(web_ip, 41000, client_ip, 5432));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_SOURCE_DEST_CHECK);
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(client_ip, 40002, INTERNET, 25));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_PORT25);

    /* Port 25 opened on request; the check off for a router. */
    OK(fc_net_set_port25_open(&net, true));
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(client_ip, 40003, INTERNET, 25));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE);
    OK(fc_net_set_port25_open(&net, false));
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(client_ip, 40004, INTERNET, 25));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_PORT25);
    OK(fc_net_set_source_dest_check(&net, client_eni, false));
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(INTERNET, 40005, db_ip, 443));
    CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE);
    OK(fc_net_set_source_dest_check(&net, client_eni, true));
    v = process(T0, client_eni, FC_DIRECTION_OUTBOUND, tcp(INTERNET, 40006, db_ip, 443));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_SOURCE_DEST_CHECK);

    /* ICMP and another protocol follow the rules too. */
    {
        fc_packet ping;
        memset(&ping, 0, sizeof ping);
        memcpy(ping.src, INTERNET, 4);
        memcpy(ping.dst, web_ip, 4);
        ping.protocol = 1;
        ping.icmp_type = 8;
        v = process(T0, web_eni, FC_DIRECTION_INBOUND, ping);
        CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);
        {
            fc_sg_rule r;
            memset(&r, 0, sizeof r);
            r.protocol = FC_RULE_PROTOCOL_ICMP;
            r.icmp_type = 8;
            r.icmp_code = -1;
            r.peer_cidr = "198.51.100.0/24";
            OK(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r));
        }
        v = process(T0, web_eni, FC_DIRECTION_INBOUND, ping);
        CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE && v.rule_index == 1);
    }

    /* Untracked: all traffic both ways with 0.0.0.0/0. */
    {
        fc_sg_rule r = all_rule("0.0.0.0/0");
        OK(fc_net_authorize(&net, client_sg, FC_DIRECTION_INBOUND, &r));
        v = process(T0, client_eni, FC_DIRECTION_INBOUND, tcp(INTERNET, 1, client_ip, 2));
        CHECK(v.allowed && v.reason == FC_VERDICT_REASON_UNTRACKED && v.group == client_sg);
        OK(fc_net_revoke(&net, client_sg, FC_DIRECTION_INBOUND, &r));
    }

    /* Flows expire: six days on, the reply is dropped. */
    OK(fc_net_expire_flows(&net, T0 + 2000, &expired, &live));
    CHECK(expired == 0 && live >= 3);
    OK(fc_net_expire_flows(&net, T0 + 6 * DAY, &expired, &live));
    CHECK(expired >= 3 && live == 0);
    v = process(T0 + 6 * DAY, web_eni, FC_DIRECTION_OUTBOUND, tcp(web_ip, 443, INTERNET, 50000));
    CHECK(!v.allowed && v.reason == FC_VERDICT_REASON_NO_RULE);

    /* Changing an interface's groups applies to new flows at once. */
    {
        uint64_t both[2];
        both[0] = web;
        both[1] = client_sg;
        OK(fc_net_set_security_groups(&net, web_eni, both, 2));
        v = process(T0 + 6 * DAY, web_eni, FC_DIRECTION_OUTBOUND,
                    tcp(web_ip, 40000, INTERNET, 443));
        CHECK(v.allowed && v.reason == FC_VERDICT_REASON_RULE && v.group == client_sg);
        OK(fc_net_set_security_groups(&net, web_eni, &web, 1));
    }
}

static void test_statuses(void) {
    fc_sg_rule r;
    fc_packet p = tcp(INTERNET, 1, web_ip, 443);
    fc_verdict v, untouched;
    uint64_t id = 777, def = 0, seven[7];
    char text[FC_NET_ID_TEXT_SIZE];
    size_t n = 0, i;
    uint8_t addr[4] = {1, 2, 3, 4};

    CHECK(FC_STATUS_INVALID_ARGUMENT == 11);
    CHECK(FC_STATUS_NET_BAD_CIDR == 1800 && FC_STATUS_NET_INVALID_PACKET == 1839);
    CHECK(strcmp(status_text(FC_STATUS_NET_DUPLICATE_RULE),
                 "the security group already has this rule") == 0);
    CHECK(strcmp(status_text(1840), "unknown status") == 0);

    EXPECT(fc_net_init(&never_initialised, "10.0.0.0/33", 1), FC_STATUS_NET_BAD_CIDR);
    EXPECT(fc_net_init(&never_initialised, "10.0.0.1/16", 1), FC_STATUS_NET_BAD_CIDR);
    EXPECT(fc_net_init(&never_initialised, "10.0.0.0/8", 1), FC_STATUS_NET_SUBNET_SIZE);
    EXPECT(fc_net_init(&never_initialised, "\xff", 1), FC_STATUS_NOT_UTF8);
    EXPECT(fc_net_init(&never_initialised, NULL, 1), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_net_init(NULL, "10.0.0.0/16", 1), FC_STATUS_NULL_ARGUMENT);

    EXPECT(fc_net_create_subnet(&net, "10.1.0.0/24", "a", &id), FC_STATUS_NET_SUBNET_OUTSIDE_VPC);
    EXPECT(fc_net_create_subnet(&net, "10.0.1.128/25", "a", &id), FC_STATUS_NET_SUBNET_OVERLAP);
    EXPECT(fc_net_create_subnet(&net, "10.0.2.0/29", "a", &id), FC_STATUS_NET_SUBNET_SIZE);
    EXPECT(fc_net_create_subnet(&net, "10.0.2.0/24", "", &id), FC_STATUS_NET_INVALID_ZONE);
    EXPECT(fc_net_create_subnet(&net, "10.0.2.0/24", NULL, &id), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_net_create_subnet(&never_initialised, "10.0.2.0/24", "a", &id),
           FC_STATUS_UNINITIALIZED);
    CHECK(id == 777);

    EXPECT(fc_net_create_security_group(&net, "sg-nope", &id), FC_STATUS_NET_INVALID_GROUP_NAME);
    EXPECT(fc_net_create_security_group(&net, "", &id), FC_STATUS_NET_INVALID_GROUP_NAME);
    EXPECT(fc_net_create_security_group(&net, "web", &id), FC_STATUS_NET_DUPLICATE_GROUP_NAME);
    EXPECT(fc_net_create_security_group(&net, "x", NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_net_default_security_group(&net, &def));
    EXPECT(fc_net_delete_security_group(&net, def), FC_STATUS_NET_CANNOT_DELETE_DEFAULT);
    EXPECT(fc_net_delete_security_group(&net, web), FC_STATUS_NET_GROUP_IN_USE);
    EXPECT(fc_net_delete_security_group(&net, 12345), FC_STATUS_NET_UNKNOWN_GROUP);
    CHECK(id == 777);

    r = tcp_rule(443, 443, "0.0.0.0/0");
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_NET_DUPLICATE_RULE);
    EXPECT(fc_net_authorize(&net, web, 2, &r), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_net_authorize(&net, 12345, FC_DIRECTION_INBOUND, &r), FC_STATUS_NET_UNKNOWN_GROUP);
    r = tcp_rule(90, 80, "0.0.0.0/0");
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r),
           FC_STATUS_NET_REVERSED_PORT_RANGE);
    r = tcp_rule(22, 22, "10.0.0.0/33");
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_NET_BAD_CIDR);
    r = tcp_rule(22, 22, NULL);
    r.peer_group = 12345;
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_NET_UNKNOWN_GROUP);
    r = tcp_rule(22, 22, "0.0.0.0/0");
    r.protocol = 9;
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_INVALID_ENUM_VALUE);
    r.protocol = FC_RULE_PROTOCOL_ICMP;
    r.icmp_type = -1;
    r.icmp_code = 3;
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_INVALID_ARGUMENT);
    r.icmp_type = 300;
    r.icmp_code = -1;
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_INVALID_ARGUMENT);
    EXPECT(fc_net_authorize(&net, web, FC_DIRECTION_INBOUND, NULL), FC_STATUS_NULL_ARGUMENT);
    r = tcp_rule(22, 22, "0.0.0.0/0");
    EXPECT(fc_net_revoke(&net, web, FC_DIRECTION_INBOUND, &r), FC_STATUS_NET_RULE_NOT_FOUND);
    {
        /* The rule table holds FC_NET_MAX_RULES per direction (below the quota of 60). */
        uint64_t g = 0;
        fc_status last = FC_STATUS_OK;
        OK(fc_net_create_security_group(&net, "many", &g));
        for (i = 0; i < FC_NET_MAX_RULES + 1 && last == FC_STATUS_OK; i++) {
            r = tcp_rule((uint16_t)(1000 + i), (uint16_t)(1000 + i), "0.0.0.0/0");
            last = fc_net_authorize(&net, g, FC_DIRECTION_INBOUND, &r);
        }
        EXPECT(last, FC_STATUS_NET_FULL);
        CHECK(i == FC_NET_MAX_RULES + 1);
        OK(fc_net_delete_security_group(&net, g));
    }

    id = 777;
    EXPECT(fc_net_create_network_interface(&net, 999, NULL, NULL, 0, &id),
           FC_STATUS_NET_UNKNOWN_SUBNET);
    EXPECT(fc_net_create_network_interface(&net, subnet, "10.0.2.9", NULL, 0, &id),
           FC_STATUS_NET_ADDRESS_OUTSIDE_SUBNET);
    EXPECT(fc_net_create_network_interface(&net, subnet, "10.0.1.1", NULL, 0, &id),
           FC_STATUS_NET_ADDRESS_RESERVED);
    EXPECT(fc_net_create_network_interface(&net, subnet, "10.0.1.50", NULL, 0, &id),
           FC_STATUS_NET_ADDRESS_IN_USE);
    EXPECT(fc_net_create_network_interface(&net, subnet, "10.0.1", NULL, 0, &id),
           FC_STATUS_NET_BAD_ADDRESS);
    {
        uint64_t twice[2];
        twice[0] = web;
        twice[1] = web;
        EXPECT(fc_net_create_network_interface(&net, subnet, NULL, twice, 2, &id),
               FC_STATUS_NET_REPEATED_GROUP);
        EXPECT(fc_net_set_security_groups(&net, web_eni, twice, 2), FC_STATUS_NET_REPEATED_GROUP);
    }
    EXPECT(fc_net_create_network_interface(&net, subnet, NULL, NULL, 1, &id),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_net_set_security_groups(&net, web_eni, NULL, 0), FC_STATUS_NET_NO_GROUPS);
    EXPECT(fc_net_set_security_groups(&net, 4242, &web, 1), FC_STATUS_NET_UNKNOWN_ENI);
    for (i = 0; i < 7; i++) {
        char name[8];
        snprintf(name, sizeof name, "g%u", (unsigned)i);
        seven[i] = 0;
        if (i < 4) {
            OK(fc_net_create_security_group(&net, name, &seven[i]));
        }
    }
    seven[4] = web;
    seven[5] = db;
    EXPECT(fc_net_set_security_groups(&net, web_eni, seven, 6), FC_STATUS_NET_GROUP_LIMIT);
    CHECK(id == 777);
    /* The interface still carries web only. */
    v = process(T0 + 7 * DAY, web_eni, FC_DIRECTION_INBOUND, p);
    CHECK(v.allowed && v.group == web);

    memset(&untouched, 0x5A, sizeof untouched);
    v = untouched;
    EXPECT(fc_net_process(&net, T0, 4242, FC_DIRECTION_INBOUND, &p, &v), FC_STATUS_NET_UNKNOWN_ENI);
    EXPECT(fc_net_process(&net, T0, web_eni, 5, &p, &v), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_net_process(&net, T0, web_eni, FC_DIRECTION_INBOUND, NULL, &v),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_net_process(&net, T0, web_eni, FC_DIRECTION_INBOUND, &p, NULL),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_net_process(&never_initialised, T0, web_eni, FC_DIRECTION_INBOUND, &p, &v),
           FC_STATUS_UNINITIALIZED);
    EXPECT(fc_net_evaluate(&net, 4242, FC_DIRECTION_INBOUND, &p, &v), FC_STATUS_NET_UNKNOWN_ENI);
    CHECK(memcmp(&v, &untouched, sizeof v) == 0);
    EXPECT(fc_net_eni_address(&net, 4242, addr), FC_STATUS_NET_UNKNOWN_ENI);
    EXPECT(fc_net_set_source_dest_check(&net, 4242, false), FC_STATUS_NET_UNKNOWN_ENI);
    EXPECT(fc_net_set_port25_open(&never_initialised, true), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_net_delete_network_interface(&net, 4242), FC_STATUS_NET_UNKNOWN_ENI);
    {
        /* A deleted interface frees its address and takes its flows with it. */
        uint64_t spare = 0;
        uint8_t spare_ip[4];
        size_t expired = 0, live = 0, live_after = 0;
        OK(fc_net_create_network_interface(&net, subnet, "10.0.1.60", &client_sg, 1, &spare));
        OK(fc_net_eni_address(&net, spare, spare_ip));
        v = process(T0 + 7 * DAY, spare, FC_DIRECTION_OUTBOUND,
                    tcp(spare_ip, 40000, INTERNET, 443));
        CHECK(v.allowed);
        OK(fc_net_expire_flows(&net, T0 + 7 * DAY, &expired, &live));
        OK(fc_net_delete_network_interface(&net, spare));
        OK(fc_net_expire_flows(&net, T0 + 7 * DAY, &expired, &live_after));
        CHECK(live_after + 1 == live);
        EXPECT(fc_net_eni_address(&net, spare, addr), FC_STATUS_NET_UNKNOWN_ENI);
        OK(fc_net_create_network_interface(&net, subnet, "10.0.1.60", &client_sg, 1, &spare));
        OK(fc_net_delete_network_interface(&net, spare));
        v = untouched;
    }
    CHECK(addr[0] == 1 && addr[3] == 4);

    EXPECT(fc_net_id_format(7, web, text, sizeof text, &n), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_net_id_format(FC_NET_ID_KIND_SECURITY_GROUP, web, text, 20, &n),
           FC_STATUS_BUFFER_TOO_SMALL);
    OK(fc_net_id_format(FC_NET_ID_KIND_SECURITY_GROUP, web, text, 21, &n));
    EXPECT(fc_net_id_format(FC_NET_ID_KIND_SECURITY_GROUP, web, NULL, 21, &n),
           FC_STATUS_NULL_ARGUMENT);
}

int main(void) {
    setup();
    test_filtering();
    test_statuses();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
