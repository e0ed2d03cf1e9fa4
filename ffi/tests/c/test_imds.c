/*
 * The Instance Metadata Service through the fleetcore C ABI (SEMANTICS §5), with the generated
 * header only: a controller fills an fc_imds with an instance's metadata and options and hands
 * it raw HTTP request bytes, as firmware would from its TCP stack. Covers the IMDSv2 token flow,
 * 401, 403, 404 and 405, the hop limit, listings, user data, tags, interfaces, parse errors
 * answered with close, and the statuses of bad calls (outputs and the service left unchanged).
 * Built by scripts/c-tests.sh with -std=c11 -Wall -Wextra -Werror -pedantic, run under
 * ASan/UBSan (staticlib) and Valgrind (cdylib). The last line of output is "N passed, N failed".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fleetcore.h"

#include "check.h"

_Static_assert(sizeof(fc_imds) == FC_IMDS_SIZE, "fc_imds is FC_IMDS_SIZE bytes");
_Static_assert(_Alignof(fc_imds) == 8, "fc_imds is 8-byte aligned");

static const uint64_t NOW = 1700000000000u;
static const char *const ID = "i-1234567890abcdef0";
static uint8_t SECRET[FC_IMDS_SECRET_LEN];

static fc_imds imds;
static fc_imds copy;
static fc_imds never_initialised;
static uint8_t out[FC_IMDS_HEAD_MAX + FC_IMDS_USER_DATA_MAX];
static char token[65];
static char body[4096];

/* One instance: two interfaces, two tags, user data. */
static const char *const SGS[2] = {"web", "default"};
static const char *const IPS0[2] = {"10.0.1.12", "10.0.1.13"};
static const char *const SG_IDS0[2] = {"sg-0123456789abcdef0", "sg-00000000000000001"};
static const char *const CIDRS[1] = {"10.0.0.0/16"};
static const char *const IPS1[1] = {"10.0.2.7"};
static const char *const V6[1] = {"2001:db8::1"};
static fc_imds_interface ENIS[2];
static const fc_imds_tag TAGS[2] = {{"Name", "web-1"}, {"env", "prod"}};
static const char USER_DATA[] = "#!/bin/sh\necho hello\n";

static fc_imds_metadata metadata(void) {
    fc_imds_metadata m;
    memset(&m, 0, sizeof m);
    memset(ENIS, 0, sizeof ENIS);
    ENIS[0].mac = "0e:49:61:0f:c3:11";
    ENIS[0].interface_id = "eni-0f95d3625f5c521cc";
    ENIS[0].subnet_id = "subnet-0ac62554";
    ENIS[0].subnet_ipv4_cidr_block = "10.0.1.0/24";
    ENIS[0].vpc_id = "vpc-d295a6a7";
    ENIS[0].owner_id = "111122223333";
    ENIS[0].local_ipv4s = IPS0;
    ENIS[0].local_ipv4_count = 2;
    ENIS[0].vpc_ipv4_cidr_blocks = CIDRS;
    ENIS[0].vpc_ipv4_cidr_block_count = 1;
    ENIS[0].security_group_ids = SG_IDS0;
    ENIS[0].security_group_id_count = 2;
    ENIS[0].security_groups = SGS;
    ENIS[0].security_group_count = 2;
    ENIS[1].mac = "0e:49:61:0f:c3:22";
    ENIS[1].device_number = 1;
    ENIS[1].interface_id = "eni-00000000000000001";
    ENIS[1].local_ipv4s = IPS1;
    ENIS[1].local_ipv4_count = 1;
    ENIS[1].ipv6s = V6;
    ENIS[1].ipv6_count = 1;
    m.instance_id = ID;
    m.ami_id = "ami-0abcdef1234567890";
    m.instance_type = "m5.large";
    m.hostname = "ip-10-0-1-12.ec2.internal";
    m.local_ipv4 = "10.0.1.12";
    m.mac = "0e:49:61:0f:c3:11";
    m.public_ipv4 = "203.0.113.25";
    m.reservation_id = "r-0123456789abcdef0";
    m.availability_zone = "us-east-1a";
    m.availability_zone_id = "use1-az1";
    m.region = "us-east-1";
    m.account_id = "111122223333";
    m.architecture = "x86_64";
    m.market = FC_MARKET_ON_DEMAND;
    m.pending_time_ms = NOW - 60000u;
    m.security_groups = SGS;
    m.security_group_count = 2;
    m.interfaces = ENIS;
    m.interface_count = 2;
    m.tags = TAGS;
    m.tag_count = 2;
    m.user_data = (const uint8_t *)USER_DATA;
    m.user_data_len = strlen(USER_DATA);
    return m;
}

static void init(uint32_t tokens, uint8_t hop_limit) {
    fc_imds_options o;
    fc_imds_metadata m = metadata();
    OK(fc_imds_options_default(&o));
    o.http_tokens = tokens;
    o.http_put_response_hop_limit = hop_limit;
    o.instance_metadata_tags = FC_INSTANCE_METADATA_TAGS_ENABLED;
    OK(fc_imds_init(&imds, &o, SECRET));
    OK(fc_imds_set_metadata(&imds, &m));
}

/* Serves `req`; returns the status code (0 when dropped) and copies the body to `body`. */
static unsigned serve(const char *req, uint8_t hops, fc_imds_served *r) {
    const char *end;
    size_t n;
    memset(r, 0, sizeof *r);
    OK(fc_imds_serve(&imds, NOW, (const uint8_t *)req, strlen(req), hops, out, sizeof out, r));
    body[0] = 0;
    if (r->kind != FC_IMDS_REPLY_RESPONSE) {
        return 0;
    }
    CHECK(r->len <= sizeof out);
    end = strstr((const char *)out, "\r\n\r\n");
    if (end != NULL) {
        n = r->len - (size_t)(end + 4 - (const char *)out);
        if (n < sizeof body) {
            memcpy(body, end + 4, n);
            body[n] = 0;
        }
    }
    return r->http_status;
}

static unsigned get(const char *path, const char *tok) {
    char req[512];
    fc_imds_served r;
    if (tok != NULL) {
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 169.254.169.254\r\n"
                                  "X-aws-ec2-metadata-token: %s\r\n\r\n", path, tok);
    } else {
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n", path);
    }
    return serve(req, 1, &r);
}

static const char *const PUT_TOKEN = "PUT /latest/api/token HTTP/1.1\r\n"
                                     "X-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n";

static void test_token_flow(void) {
    fc_imds_served r;
    uint64_t issued = 99;

    init(FC_HTTP_TOKENS_REQUIRED, 1);
    OK(fc_imds_tokens_issued(&imds, &issued));
    CHECK(issued == 0);

    /* IMDSv2: a token from PUT, then GET with it. */
    CHECK(serve(PUT_TOKEN, 1, &r) == 200);
    CHECK(r.kind == FC_IMDS_REPLY_RESPONSE && r.ip_ttl == 1 && !r.close &&
          r.consumed == strlen(PUT_TOKEN));
    CHECK(strstr((const char *)out, "X-aws-ec2-metadata-token-ttl-seconds: 21600\r\n") != NULL);
    CHECK(strlen(body) == 64);
    memcpy(token, body, 64);
    token[64] = 0;
    OK(fc_imds_tokens_issued(&imds, &issued));
    CHECK(issued == 1);

    CHECK(get("/latest/meta-data/instance-id", token) == 200);
    CHECK(strcmp(body, ID) == 0);
    CHECK(get("/latest/meta-data/placement/availability-zone", token) == 200);
    CHECK(strcmp(body, "us-east-1a") == 0);
    CHECK(get("/latest/meta-data/security-groups", token) == 200);
    CHECK(strcmp(body, "web\ndefault") == 0);
    CHECK(get("/latest/meta-data/network/interfaces/macs/0e:49:61:0f:c3:11/local-ipv4s",
              token) == 200);
    CHECK(strcmp(body, "10.0.1.12\n10.0.1.13") == 0);
    CHECK(get("/latest/meta-data/network/interfaces/macs/0e:49:61:0f:c3:22/ipv6s", token) ==
          200);
    CHECK(strcmp(body, "2001:db8::1") == 0);
    CHECK(get("/latest/meta-data/network/interfaces/macs/", token) == 200);
    CHECK(strcmp(body, "0e:49:61:0f:c3:11/\n0e:49:61:0f:c3:22/") == 0);
    CHECK(get("/latest/meta-data/tags/instance/env", token) == 200);
    CHECK(strcmp(body, "prod") == 0);
    CHECK(get("/latest/meta-data/instance-life-cycle", token) == 200);
    CHECK(strcmp(body, "on-demand") == 0);
    CHECK(get("/latest/user-data", token) == 200);
    CHECK(strcmp(body, USER_DATA) == 0);
    CHECK(strstr((const char *)out, "application/octet-stream") != NULL);
    CHECK(get("/latest/dynamic/instance-identity/document", token) == 200);
    CHECK(strstr(body, "\"instanceId\"") != NULL && strstr(body, ID) != NULL &&
          strstr(body, "\"architecture\" : \"x86_64\"") != NULL);

    /* 401: no token while tokens are required; a bad token always. */
    CHECK(get("/latest/meta-data/instance-id", NULL) == 401);
    token[0] = token[0] == 'A' ? 'B' : 'A';
    CHECK(get("/latest/meta-data/instance-id", token) == 401);

    /* 404: outside a version, an absent item, a leaf with a slash. */
    CHECK(serve(PUT_TOKEN, 1, &r) == 200);
    memcpy(token, body, 64);
    CHECK(get("/nope", token) == 404);
    CHECK(get("/latest/meta-data/public-hostname", token) == 404);
    CHECK(get("/latest/meta-data/instance-id/", token) == 404);
    CHECK(get("/latest/meta-data/spot/instance-action", token) == 404);

    /* 403: a PUT elsewhere, or forwarded. 405: another method. 400: a bad TTL. */
    CHECK(serve("PUT /2021-03-23/api/token HTTP/1.1\r\n"
                "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n",
                1, &r) == 403);
    CHECK(serve("PUT /latest/api/token HTTP/1.1\r\nX-Forwarded-For: 10.0.0.9\r\n"
                "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n",
                1, &r) == 403);
    CHECK(serve("DELETE /latest/meta-data/ HTTP/1.1\r\n\r\n", 1, &r) == 405);
    CHECK(serve("PUT /latest/api/token HTTP/1.1\r\n"
                "X-aws-ec2-metadata-token-ttl-seconds: 21601\r\n\r\n",
                1, &r) == 400);

    /* Unparsable bytes are answered 400 and the connection closed. */
    CHECK(serve("NOT HTTP AT ALL\r\n\r\n", 1, &r) == 400);
    CHECK(r.close);
}

static void test_options_and_hop_limit(void) {
    fc_imds_options o;
    fc_imds_served r;

    init(FC_HTTP_TOKENS_OPTIONAL, 1);
    /* IMDSv1 works while tokens are optional. */
    CHECK(get("/latest/meta-data/instance-id", NULL) == 200);
    CHECK(strcmp(body, ID) == 0);

    /* A PUT from a container two hops away gets nothing back at hop limit 1 ... */
    CHECK(serve(PUT_TOKEN, 2, &r) == 0);
    CHECK(r.kind == FC_IMDS_REPLY_DROPPED && r.len == 0 && r.consumed == strlen(PUT_TOKEN));
    /* ... GETs are not limited ... */
    {
        fc_imds_served g;
        CHECK(serve("GET /latest/meta-data/instance-id HTTP/1.1\r\n\r\n", 2, &g) == 200);
    }
    /* ... and at hop limit 2 it gets its token, sent with IP TTL 2. */
    OK(fc_imds_options_get(&imds, &o));
    CHECK(o.http_put_response_hop_limit == 1 && o.http_tokens == FC_HTTP_TOKENS_OPTIONAL);
    o.http_put_response_hop_limit = 2;
    OK(fc_imds_set_options(&imds, &o));
    CHECK(serve(PUT_TOKEN, 2, &r) == 200);
    CHECK(r.ip_ttl == 2);
    CHECK(serve(PUT_TOKEN, 3, &r) == 0);

    /* Disabled: 403 for everything. */
    o.http_endpoint = FC_HTTP_ENDPOINT_DISABLED;
    OK(fc_imds_set_options(&imds, &o));
    CHECK(get("/latest/meta-data/instance-id", NULL) == 403);
    CHECK(serve(PUT_TOKEN, 1, &r) == 403);

    /* Tags hidden unless enabled. */
    o.http_endpoint = FC_HTTP_ENDPOINT_ENABLED;
    o.instance_metadata_tags = FC_INSTANCE_METADATA_TAGS_DISABLED;
    OK(fc_imds_set_options(&imds, &o));
    CHECK(get("/latest/meta-data/tags/instance/env", NULL) == 404);

    /* Bad options change nothing. */
    o.http_put_response_hop_limit = 0;
    EXPECT(fc_imds_set_options(&imds, &o), FC_STATUS_IMDS_HOP_LIMIT_OUT_OF_RANGE);
    o.http_put_response_hop_limit = 65;
    EXPECT(fc_imds_set_options(&imds, &o), FC_STATUS_IMDS_HOP_LIMIT_OUT_OF_RANGE);
    EXPECT(fc_imds_init(&copy, &o, SECRET), FC_STATUS_IMDS_HOP_LIMIT_OUT_OF_RANGE);
    o.http_put_response_hop_limit = 1;
    o.http_tokens = 2;
    EXPECT(fc_imds_set_options(&imds, &o), FC_STATUS_INVALID_ENUM_VALUE);
    o.http_tokens = FC_HTTP_TOKENS_OPTIONAL;
    o.http_endpoint = 7;
    EXPECT(fc_imds_set_options(&imds, &o), FC_STATUS_INVALID_ENUM_VALUE);
    o.http_endpoint = FC_HTTP_ENDPOINT_ENABLED;
    o.instance_metadata_tags = 2;
    EXPECT(fc_imds_init(&copy, &o, SECRET), FC_STATUS_INVALID_ENUM_VALUE);
    EXPECT(fc_imds_set_options(NULL, &o), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_set_options(&imds, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_set_options(&never_initialised, &o), FC_STATUS_UNINITIALIZED);
    EXPECT(fc_imds_init(&copy, &o, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_init(NULL, &o, SECRET), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_options_default(NULL), FC_STATUS_NULL_ARGUMENT);
    OK(fc_imds_options_get(&imds, &o));
    CHECK(o.http_put_response_hop_limit == 2 && o.http_endpoint == FC_HTTP_ENDPOINT_ENABLED &&
          o.instance_metadata_tags == FC_INSTANCE_METADATA_TAGS_DISABLED);

    /* The storage holds no pointers: a memcpy'd copy serves the same. */
    memcpy(&copy, &imds, sizeof imds);
    {
        fc_imds_served c;
        const char *req = "GET /latest/meta-data/local-ipv4 HTTP/1.1\r\n\r\n";
        OK(fc_imds_serve(&copy, NOW, (const uint8_t *)req, strlen(req), 1, out, sizeof out, &c));
        CHECK(c.http_status == 200 && memcmp(out + c.len - 9, "10.0.1.12", 9) == 0);
    }
}

static void test_serve_statuses(void) {
    fc_imds_served r, untouched;
    fc_http_limits l;
    uint8_t small[100];
    const char *partial = "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x";
    const char *req = "GET /latest/user-data HTTP/1.1\r\n\r\n";
    uint64_t issued = 0;

    init(FC_HTTP_TOKENS_OPTIONAL, 1);
    memset(&untouched, 0x5A, sizeof untouched);
    r = untouched;
    memset(small, 0xEE, sizeof small);

    /* Incomplete: read more. Nothing written. */
    EXPECT(fc_imds_serve(&imds, NOW, (const uint8_t *)partial, strlen(partial), 1, small,
                         sizeof small, &r),
           FC_STATUS_IMDS_INCOMPLETE);
    /* A short buffer: nothing written, no token issued. */
    EXPECT(fc_imds_serve(&imds, NOW, (const uint8_t *)PUT_TOKEN, strlen(PUT_TOKEN), 1, small,
                         sizeof small, &r),
           FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_imds_serve(&imds, NOW, (const uint8_t *)req, strlen(req), 1, out,
                         FC_IMDS_HEAD_MAX + strlen(USER_DATA) - 1, &r),
           FC_STATUS_BUFFER_TOO_SMALL);
    EXPECT(fc_imds_serve(&imds, NOW, NULL, 4, 1, out, sizeof out, &r), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_serve(&imds, NOW, NULL, 0, 1, out, sizeof out, &r), FC_STATUS_IMDS_INCOMPLETE);
    EXPECT(fc_imds_serve(&imds, NOW, (const uint8_t *)req, strlen(req), 1, NULL, 10, &r),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_serve(&imds, NOW, (const uint8_t *)req, strlen(req), 1, out, sizeof out, NULL),
           FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_serve(&never_initialised, NOW, (const uint8_t *)req, strlen(req), 1, out,
                         sizeof out, &r),
           FC_STATUS_UNINITIALIZED);
    EXPECT(fc_imds_serve(NULL, NOW, (const uint8_t *)req, strlen(req), 1, out, sizeof out, &r),
           FC_STATUS_NULL_ARGUMENT);
    CHECK(memcmp(&r, &untouched, sizeof r) == 0);
    {
        size_t i;
        int clean = 1;
        for (i = 0; i < sizeof small; i++) {
            clean &= small[i] == 0xEE;
        }
        CHECK(clean);
    }
    OK(fc_imds_tokens_issued(&imds, &issued));
    CHECK(issued == 0);
    /* Exactly enough is enough. */
    OK(fc_imds_serve(&imds, NOW, (const uint8_t *)req, strlen(req), 1, out,
                     FC_IMDS_HEAD_MAX + strlen(USER_DATA), &r));
    CHECK(r.http_status == 200);

    /* Pipelined requests: `consumed` says where the next starts. */
    {
        char two[256];
        snprintf(two, sizeof two, "%s%s", "GET /latest/meta-data/ami-id HTTP/1.1\r\n\r\n", req);
        OK(fc_imds_serve(&imds, NOW, (const uint8_t *)two, strlen(two), 1, out, sizeof out, &r));
        CHECK(r.http_status == 200 && r.consumed == strlen(two) - strlen(req));
    }

    /* HTTP limits: a long request line gets 414 (and close); bad limits are refused. */
    memset(&l, 0, sizeof l);
    l.request_line = 40;
    l.header_line = 512;
    l.headers = FC_IMDS_MAX_HEADERS;
    l.total = 2048;
    OK(fc_imds_set_limits(&imds, &l));
    CHECK(serve("GET /latest/meta-data/network/interfaces/macs/ HTTP/1.1\r\n\r\n", 1, &r) == 414);
    CHECK(r.close);
    l.headers = FC_IMDS_MAX_HEADERS + 1;
    EXPECT(fc_imds_set_limits(&imds, &l), FC_STATUS_IMDS_INVALID_LIMIT);
    l.headers = 4;
    l.total = 0;
    EXPECT(fc_imds_set_limits(&imds, &l), FC_STATUS_IMDS_INVALID_LIMIT);
    EXPECT(fc_imds_set_limits(&imds, NULL), FC_STATUS_NULL_ARGUMENT);
    CHECK(serve("GET /latest/meta-data/network/interfaces/macs/ HTTP/1.1\r\n\r\n", 1, &r) == 414);
}

static void test_metadata_statuses(void) {
    fc_imds_metadata m;
    fc_imds_tag many[FC_IMDS_MAX_TAGS + 1];
    fc_imds_interface enis[FC_IMDS_MAX_INTERFACES + 1];
    static char long_text[FC_IMDS_TEXT_CAPACITY + 2];
    static uint8_t big[FC_IMDS_USER_DATA_MAX + 1];
    const char *with_null[2] = {"web", NULL};
    const char *const not_utf8 = "\xc3\x28";
    size_t i;

    init(FC_HTTP_TOKENS_OPTIONAL, 1);

    m = metadata();
    m.instance_id = NULL;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_NULL_ARGUMENT);
    m = metadata();
    m.hostname = not_utf8;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_NOT_UTF8);
    m = metadata();
    m.security_groups = with_null;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_NULL_ARGUMENT);
    m = metadata();
    m.security_groups = NULL;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_NULL_ARGUMENT);
    m = metadata();
    m.market = 2;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_INVALID_ENUM_VALUE);
    m = metadata();
    m.has_spot_action = true;
    m.spot_action = 3;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_INVALID_ENUM_VALUE);
    m = metadata();
    m.architecture = "sparc";
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_OUT_OF_RANGE);
    m = metadata();
    m.user_data = big;
    m.user_data_len = sizeof big;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_IMDS_USER_DATA_TOO_LARGE);
    m = metadata();
    for (i = 0; i <= FC_IMDS_MAX_TAGS; i++) {
        many[i].key = "k";
        many[i].value = "v";
    }
    m.tags = many;
    m.tag_count = FC_IMDS_MAX_TAGS + 1;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_STORAGE_FULL);
    m = metadata();
    memset(enis, 0, sizeof enis);
    m.interfaces = enis;
    m.interface_count = FC_IMDS_MAX_INTERFACES + 1;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_STORAGE_FULL);
    m = metadata();
    memset(long_text, 'x', sizeof long_text - 1);
    m.hostname = long_text;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_STORAGE_FULL);
    m = metadata();
    m.tags = NULL;
    EXPECT(fc_imds_set_metadata(&imds, &m), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_set_metadata(&imds, NULL), FC_STATUS_NULL_ARGUMENT);
    EXPECT(fc_imds_set_metadata(&never_initialised, &m), FC_STATUS_UNINITIALIZED);

    /* None of that changed what is served. */
    CHECK(get("/latest/meta-data/hostname", NULL) == 200);
    CHECK(strcmp(body, "ip-10-0-1-12.ec2.internal") == 0);
    CHECK(get("/latest/meta-data/tags/instance", NULL) == 200);
    CHECK(strcmp(body, "Name\nenv") == 0);

    /* A Spot instance with a stop notice; the caller's strings need not outlive the call. */
    {
        char id[32];
        m = metadata();
        strcpy(id, "i-00000000000000042");
        m.instance_id = id;
        m.market = FC_MARKET_SPOT;
        m.has_spot_action = true;
        m.spot_action = FC_INTERRUPTION_BEHAVIOR_STOP;
        m.spot_action_time_ms = NOW + 120000u;
        m.user_data = NULL;
        m.user_data_len = 0;
        OK(fc_imds_set_metadata(&imds, &m));
        memset(id, 0, sizeof id);
    }
    CHECK(get("/latest/meta-data/instance-id", NULL) == 200);
    CHECK(strcmp(body, "i-00000000000000042") == 0);
    CHECK(get("/latest/meta-data/instance-life-cycle", NULL) == 200);
    CHECK(strcmp(body, "spot") == 0);
    CHECK(get("/latest/meta-data/spot/instance-action", NULL) == 200);
    CHECK(strstr(body, "\"action\"") != NULL && strstr(body, "stop") != NULL);
    CHECK(get("/latest/user-data", NULL) == 404);
}

static void test_statuses(void) {
    CHECK(FC_STATUS_STORAGE_FULL == 10);
    CHECK(FC_STATUS_IMDS_BUFFER_TOO_SMALL == 1700 && FC_STATUS_IMDS_INVALID_LIMIT == 1710);
    CHECK(strcmp(status_text(FC_STATUS_IMDS_INCOMPLETE),
                 "request is incomplete: read more bytes") == 0);
    CHECK(strcmp(status_text(1711), "unknown status") == 0);
}

int main(void) {
    size_t i;
    for (i = 0; i < sizeof SECRET; i++) {
        SECRET[i] = (uint8_t)(i * 7 + 1);
    }
    test_statuses();
    test_token_flow();
    test_options_and_hop_limit();
    test_serve_statuses();
    test_metadata_statuses();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
