//! IMDS: the tree, listings, user data, the identity document, tokens, options and HTTP.

use super::http::{HttpLimits, MAX_HEAD_LEN, MAX_HEADERS, Request, Status, write_head};
use super::*;
use crate::catalog::Architecture;
use crate::error::{Error, ErrorKind};
use crate::lifecycle::{InterruptionBehavior, Market, SpotRequestType};
use crate::test_prelude::*;

const SECRET: [u8; 32] = [7; 32];
const NOW: Instant = Instant::from_millis(1_700_000_000_000);
const ID: &str = "i-1234567890abcdef0";

const SGS: &[&str] = &["web", "default"];
const IPS0: &[&str] = &["10.0.1.12", "10.0.1.13"];
const PUB0: &[&str] = &["203.0.113.25"];
const SG_IDS0: &[&str] = &["sg-0123456789abcdef0", "sg-00000000000000001"];
const VPC_CIDRS: &[&str] = &["10.0.0.0/16", "100.64.0.0/16"];
const IPS1: &[&str] = &["10.0.2.7"];
const SG_IDS1: &[&str] = &["sg-00000000000000002"];
const SGS1: &[&str] = &["db"];
const V6: &[&str] = &["2001:db8::1"];

const ENIS: &[InterfaceMetadata<'static>] = &[
    InterfaceMetadata {
        mac: "0e:49:61:0f:c3:11",
        device_number: 0,
        network_card_index: 0,
        interface_id: "eni-0f95d3625f5c521cc",
        local_ipv4s: IPS0,
        public_ipv4s: PUB0,
        ipv6s: &[],
        subnet_id: "subnet-0ac62554",
        subnet_ipv4_cidr_block: "10.0.1.0/24",
        vpc_id: "vpc-d295a6a7",
        vpc_ipv4_cidr_blocks: VPC_CIDRS,
        security_group_ids: SG_IDS0,
        security_groups: SGS,
        owner_id: "111122223333",
    },
    InterfaceMetadata {
        mac: "0e:49:61:0f:c3:22",
        device_number: 1,
        network_card_index: 0,
        interface_id: "eni-00000000000000001",
        local_ipv4s: IPS1,
        public_ipv4s: &[],
        ipv6s: V6,
        subnet_id: "subnet-0bb00000",
        subnet_ipv4_cidr_block: "10.0.2.0/24",
        vpc_id: "vpc-d295a6a7",
        vpc_ipv4_cidr_blocks: VPC_CIDRS,
        security_group_ids: SG_IDS1,
        security_groups: SGS1,
        owner_id: "111122223333",
    },
];

const TAGS: &[Tag<'static>] = &[
    Tag {
        key: "Name",
        value: "web-1",
    },
    Tag {
        key: "team:owner",
        value: "infra",
    },
    Tag {
        key: "a/b",
        value: "unreachable",
    },
];

fn md() -> InstanceMetadata<'static> {
    InstanceMetadata {
        instance_id: ID,
        ami_id: "ami-0abcdef1234567890",
        instance_type: "t3.micro",
        hostname: "ip-10-0-1-12.ec2.internal",
        local_hostname: "ip-10-0-1-12.ec2.internal",
        local_ipv4: "10.0.1.12",
        mac: "0e:49:61:0f:c3:11",
        public_ipv4: Some("203.0.113.25"),
        public_hostname: Some("ec2-203-0-113-25.compute-1.amazonaws.com"),
        reservation_id: "r-0123456789abcdef0",
        ami_launch_index: 2,
        availability_zone: "us-east-1a",
        availability_zone_id: "use1-az4",
        region: "us-east-1",
        market: Market::OnDemand,
        security_groups: SGS,
        interfaces: ENIS,
        spot_action: None,
        rebalance_notice: None,
        target_lifecycle_state: Some("InService"),
        tags: TAGS,
        user_data: Some(b"#!/bin/sh\necho hi\n"),
        account_id: "111122223333",
        architecture: Some(Architecture::X86_64),
        // 2016-11-19T16:32:11Z
        pending_time: Instant::from_secs(1_479_573_131),
    }
}

fn imds() -> Imds {
    Imds::new(MetadataOptions::default(), SECRET).unwrap()
}

/// A completed GET or HEAD: status, body text, content type, content length.
struct Got {
    status: Status,
    body: std::string::String,
    content_type: ContentType,
    content_length: usize,
}

fn ask(s: &mut Imds, now: Instant, req: &ImdsRequest<'_>, md: &InstanceMetadata<'_>) -> Got {
    let mut buf = std::vec![0u8; 20_000];
    match s.handle(now, req, md, &mut buf).unwrap() {
        Reply::Respond(r) => Got {
            status: r.status,
            body: std::string::String::from_utf8_lossy(&buf[..r.body_len]).into_owned(),
            content_type: r.content_type,
            content_length: r.content_length,
        },
        Reply::Dropped { .. } => panic!("dropped"),
    }
}

fn get(s: &mut Imds, path: &str) -> Got {
    ask(s, NOW, &ImdsRequest::get(path), &md())
}

fn body(s: &mut Imds, path: &str) -> std::string::String {
    let g = get(s, path);
    assert_eq!(g.status, Status::Ok, "{path}");
    g.body
}

fn status(s: &mut Imds, path: &str) -> Status {
    get(s, path).status
}

fn put(ttl: Option<&'static str>) -> ImdsRequest<'static> {
    ImdsRequest {
        method: Method::Put,
        path: "/latest/api/token",
        token: None,
        ttl_seconds: ttl.map(str::as_bytes),
        forwarded_for: false,
        hops: 1,
    }
}

fn token(s: &mut Imds, now: Instant, ttl: &'static str) -> std::string::String {
    let g = ask(s, now, &put(Some(ttl)), &md());
    assert_eq!(g.status, Status::Ok);
    g.body
}

fn with_token<'a>(path: &'a str, t: &'a str) -> ImdsRequest<'a> {
    ImdsRequest {
        token: Some(t.as_bytes()),
        ..ImdsRequest::get(path)
    }
}

// --- the tree ----------------------------------------------------------------------------------

#[test]
fn meta_data_lists_children_one_per_line_directories_with_a_slash() {
    let mut s = imds();
    let listing = body(&mut s, "/latest/meta-data/");
    assert_eq!(
        listing,
        "ami-id\nami-launch-index\nautoscaling/\nhostname\ninstance-id\ninstance-life-cycle\n\
         instance-type\nlocal-hostname\nlocal-ipv4\nmac\nnetwork/\nplacement/\npublic-hostname\n\
         public-ipv4\nreservation-id\nsecurity-groups"
    );
    // Every listed name resolves, and a directory lists again.
    for name in listing.lines() {
        let g = get(&mut s, &format!("/latest/meta-data/{name}"));
        assert_eq!(g.status, Status::Ok, "{name}");
        assert!(!g.body.is_empty(), "{name}");
    }
}

#[test]
fn leaves_answer_their_values() {
    let mut s = imds();
    let m = md();
    for (path, want) in [
        ("instance-id", ID),
        ("ami-id", m.ami_id),
        ("instance-type", "t3.micro"),
        ("hostname", m.hostname),
        ("local-hostname", m.local_hostname),
        ("local-ipv4", "10.0.1.12"),
        ("mac", "0e:49:61:0f:c3:11"),
        ("public-ipv4", "203.0.113.25"),
        (
            "public-hostname",
            "ec2-203-0-113-25.compute-1.amazonaws.com",
        ),
        ("reservation-id", "r-0123456789abcdef0"),
        ("ami-launch-index", "2"),
        ("placement/availability-zone", "us-east-1a"),
        ("placement/availability-zone-id", "use1-az4"),
        ("placement/region", "us-east-1"),
        ("instance-life-cycle", "on-demand"),
        ("security-groups", "web\ndefault"),
        ("autoscaling/target-lifecycle-state", "InService"),
    ] {
        let g = get(&mut s, &format!("/latest/meta-data/{path}"));
        assert_eq!((g.status, g.body.as_str()), (Status::Ok, want), "{path}");
        assert_eq!(g.content_type, ContentType::Text);
        assert_eq!(g.content_length, want.len());
    }
}

#[test]
fn top_levels_and_directories_without_their_slash() {
    let mut s = imds();
    assert_eq!(body(&mut s, "/"), "latest/");
    assert_eq!(body(&mut s, "/latest"), "dynamic/\nmeta-data/\nuser-data");
    assert_eq!(body(&mut s, "/latest/"), "dynamic/\nmeta-data/\nuser-data");
    assert_eq!(
        body(&mut s, "/latest/meta-data/placement"),
        "availability-zone\navailability-zone-id\nregion"
    );
    assert_eq!(body(&mut s, "/latest/dynamic/"), "instance-identity/");
    assert_eq!(
        body(&mut s, "/latest/dynamic/instance-identity/"),
        "document"
    );
}

#[test]
fn versioned_paths_answer_like_latest() {
    let mut s = imds();
    for v in ["2021-03-23", "2009-04-04", "1.0"] {
        assert_eq!(body(&mut s, &format!("/{v}/meta-data/instance-id")), ID);
    }
    assert_eq!(body(&mut s, "/latest/meta-data/instance-id?x=1"), ID);
}

#[test]
fn absent_items_are_404() {
    let mut s = imds();
    for path in [
        "/latest/meta-data/nothing",
        "/latest/meta-data/instance-id/",
        "/latest/meta-data//instance-id",
        "/latest/meta-data/placement/region/x",
        "/latest/meta-data/iam/info",
        "/latest/meta-data/spot/instance-action",
        "/latest/meta-data/events/recommendations/rebalance",
        "/latest/meta-data/tags/instance/Name",
        "/latest/api/token",
        "/latest/dynamic/instance-identity/pkcs7",
        "/2021-3-23/meta-data/instance-id",
        "/v1/meta-data/instance-id",
        "/meta-data/instance-id",
        "latest/meta-data/instance-id",
        "",
    ] {
        let g = get(&mut s, path);
        assert_eq!(
            (g.status, g.content_length),
            (Status::NotFound, 0),
            "{path}"
        );
    }
}

#[test]
fn unset_items_are_absent_and_unlisted() {
    let mut s = imds();
    let mut m = md();
    m.public_ipv4 = None;
    m.public_hostname = Some("");
    m.security_groups = &[];
    m.target_lifecycle_state = None;
    m.user_data = None;
    let req = ImdsRequest::get("/latest/meta-data/");
    let listing = ask(&mut s, NOW, &req, &m).body;
    for gone in [
        "public-ipv4",
        "public-hostname",
        "security-groups",
        "autoscaling/",
    ] {
        assert!(!listing.lines().any(|l| l == gone), "{gone} in {listing}");
    }
    for path in [
        "/latest/meta-data/public-ipv4",
        "/latest/meta-data/public-hostname",
        "/latest/meta-data/security-groups",
        "/latest/meta-data/autoscaling/",
        "/latest/user-data",
    ] {
        let g = ask(&mut s, NOW, &ImdsRequest::get(path), &m);
        assert_eq!(g.status, Status::NotFound, "{path}");
    }
    assert_eq!(
        ask(&mut s, NOW, &ImdsRequest::get("/latest/"), &m).body,
        "dynamic/\nmeta-data/"
    );
}

#[test]
fn network_interfaces_by_mac() {
    let mut s = imds();
    assert_eq!(body(&mut s, "/latest/meta-data/network/"), "interfaces/");
    assert_eq!(
        body(&mut s, "/latest/meta-data/network/interfaces/"),
        "macs/"
    );
    assert_eq!(
        body(&mut s, "/latest/meta-data/network/interfaces/macs/"),
        "0e:49:61:0f:c3:11/\n0e:49:61:0f:c3:22/"
    );
    let eni0 = "/latest/meta-data/network/interfaces/macs/0e:49:61:0f:c3:11";
    assert_eq!(
        body(&mut s, &format!("{eni0}/")),
        "device-number\ninterface-id\nlocal-ipv4s\nmac\nnetwork-card-index\nowner-id\n\
         public-ipv4s\nsecurity-group-ids\nsecurity-groups\nsubnet-id\nsubnet-ipv4-cidr-block\n\
         vpc-id\nvpc-ipv4-cidr-block\nvpc-ipv4-cidr-blocks"
    );
    for (leaf, want) in [
        ("device-number", "0"),
        ("interface-id", "eni-0f95d3625f5c521cc"),
        ("local-ipv4s", "10.0.1.12\n10.0.1.13"),
        ("mac", "0e:49:61:0f:c3:11"),
        ("network-card-index", "0"),
        ("owner-id", "111122223333"),
        ("public-ipv4s", "203.0.113.25"),
        (
            "security-group-ids",
            "sg-0123456789abcdef0\nsg-00000000000000001",
        ),
        ("security-groups", "web\ndefault"),
        ("subnet-id", "subnet-0ac62554"),
        ("subnet-ipv4-cidr-block", "10.0.1.0/24"),
        ("vpc-id", "vpc-d295a6a7"),
        ("vpc-ipv4-cidr-block", "10.0.0.0/16"),
        ("vpc-ipv4-cidr-blocks", "10.0.0.0/16\n100.64.0.0/16"),
    ] {
        assert_eq!(body(&mut s, &format!("{eni0}/{leaf}")), want, "{leaf}");
    }
    let eni1 = "/latest/meta-data/network/interfaces/macs/0e:49:61:0f:c3:22";
    assert_eq!(body(&mut s, &format!("{eni1}/device-number")), "1");
    assert_eq!(body(&mut s, &format!("{eni1}/ipv6s")), "2001:db8::1");
    assert_eq!(
        status(&mut s, &format!("{eni1}/public-ipv4s")),
        Status::NotFound
    );
    assert_eq!(status(&mut s, &format!("{eni0}/ipv6s")), Status::NotFound);
    assert_eq!(
        status(
            &mut s,
            "/latest/meta-data/network/interfaces/macs/0e:00:00:00:00:00/"
        ),
        Status::NotFound
    );
}

#[test]
fn spot_notices_and_rebalance_when_set() {
    let mut s = imds();
    let mut m = md();
    m.market = Market::Spot {
        request: SpotRequestType::OneTime,
        interruption: InterruptionBehavior::Terminate,
    };
    // 2017-09-18T08:22:00Z
    let at = Instant::from_secs(1_505_722_920);
    m.spot_action = Some(SpotAction {
        action: InterruptionBehavior::Terminate,
        time: at,
    });
    m.rebalance_notice = Some(Instant::from_secs(1_505_722_800));
    let g = |s: &mut Imds, p: &str, m: &InstanceMetadata<'_>| ask(s, NOW, &ImdsRequest::get(p), m);
    assert_eq!(
        g(&mut s, "/latest/meta-data/instance-life-cycle", &m).body,
        "spot"
    );
    assert_eq!(
        g(&mut s, "/latest/meta-data/spot/", &m).body,
        "instance-action\ntermination-time"
    );
    let action = g(&mut s, "/latest/meta-data/spot/instance-action", &m);
    assert_eq!(
        action.body,
        r#"{"action": "terminate", "time": "2017-09-18T08:22:00Z"}"#
    );
    assert_eq!(action.content_type, ContentType::Json);
    assert_eq!(
        g(&mut s, "/latest/meta-data/spot/termination-time", &m).body,
        "2017-09-18T08:22:00Z"
    );
    assert_eq!(
        g(
            &mut s,
            "/latest/meta-data/events/recommendations/rebalance",
            &m
        )
        .body,
        r#"{"noticeTime": "2017-09-18T08:20:00Z"}"#
    );
    let listing = g(&mut s, "/latest/meta-data/", &m).body;
    assert!(listing.lines().any(|l| l == "spot/"));
    assert!(listing.lines().any(|l| l == "events/"));

    // A stop notice has no termination time.
    m.spot_action = Some(SpotAction {
        action: InterruptionBehavior::Stop,
        time: at,
    });
    assert_eq!(
        g(&mut s, "/latest/meta-data/spot/instance-action", &m).body,
        r#"{"action": "stop", "time": "2017-09-18T08:22:00Z"}"#
    );
    assert_eq!(
        g(&mut s, "/latest/meta-data/spot/termination-time", &m).status,
        Status::NotFound
    );
    assert_eq!(
        g(&mut s, "/latest/meta-data/spot/", &m).body,
        "instance-action"
    );
}

#[test]
fn tags_only_when_allowed() {
    let mut s = imds();
    assert_eq!(status(&mut s, "/latest/meta-data/tags/"), Status::NotFound);
    s.set_options(MetadataOptions {
        instance_metadata_tags: InstanceMetadataTags::Enabled,
        ..MetadataOptions::default()
    })
    .unwrap();
    assert!(
        body(&mut s, "/latest/meta-data/")
            .lines()
            .any(|l| l == "tags/")
    );
    assert_eq!(body(&mut s, "/latest/meta-data/tags/"), "instance/");
    // A key holding `/` cannot be a path segment: left out.
    assert_eq!(
        body(&mut s, "/latest/meta-data/tags/instance/"),
        "Name\nteam:owner"
    );
    assert_eq!(
        body(&mut s, "/latest/meta-data/tags/instance/Name"),
        "web-1"
    );
    assert_eq!(
        body(&mut s, "/latest/meta-data/tags/instance/team:owner"),
        "infra"
    );
    assert_eq!(
        status(&mut s, "/latest/meta-data/tags/instance/a/b"),
        Status::NotFound
    );
    // No tags at all: the directory is absent.
    let mut m = md();
    m.tags = &[];
    let g = ask(
        &mut s,
        NOW,
        &ImdsRequest::get("/latest/meta-data/tags/"),
        &m,
    );
    assert_eq!(g.status, Status::NotFound);
}

#[test]
fn user_data_is_raw_up_to_16_kb() {
    let mut s = imds();
    let g = get(&mut s, "/latest/user-data");
    assert_eq!(g.status, Status::Ok);
    assert_eq!(g.body, "#!/bin/sh\necho hi\n");
    assert_eq!(g.content_type, ContentType::OctetStream);

    let big = std::vec![0xffu8; USER_DATA_MAX + 1];
    let mut m = md();
    m.user_data = Some(&big[..USER_DATA_MAX]);
    let mut buf = std::vec![0u8; USER_DATA_MAX];
    let r = s
        .handle(NOW, &ImdsRequest::get("/latest/user-data"), &m, &mut buf)
        .unwrap();
    let Reply::Respond(r) = r else { panic!() };
    assert_eq!((r.status, r.body_len), (Status::Ok, USER_DATA_MAX));
    assert!(
        buf.iter().all(|&b| b == 0xff),
        "binary bytes pass unchanged"
    );

    m.user_data = Some(&big);
    assert_eq!(
        s.handle(NOW, &ImdsRequest::get("/latest/user-data"), &m, &mut buf),
        Err(ImdsError::UserDataTooLarge {
            len: USER_DATA_MAX + 1
        })
    );
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase")]
struct Document<'a> {
    account_id: &'a str,
    architecture: &'a str,
    availability_zone: &'a str,
    billing_products: Option<&'a str>,
    devpay_product_codes: Option<&'a str>,
    image_id: &'a str,
    instance_id: &'a str,
    instance_type: &'a str,
    kernel_id: Option<&'a str>,
    marketplace_product_codes: Option<&'a str>,
    pending_time: &'a str,
    private_ip: &'a str,
    ramdisk_id: Option<&'a str>,
    region: &'a str,
    version: &'a str,
}

#[test]
fn identity_document_parses_back_as_json() {
    let mut s = imds();
    let g = get(&mut s, "/latest/dynamic/instance-identity/document");
    assert_eq!(g.content_type, ContentType::Json);
    let (doc, used): (Document<'_>, _) = serde_json_core::from_str(&g.body).unwrap();
    assert_eq!(used, g.body.len());
    let m = md();
    assert_eq!(doc.account_id, m.account_id);
    assert_eq!(doc.architecture, "x86_64");
    assert_eq!(doc.availability_zone, "us-east-1a");
    assert_eq!(doc.image_id, m.ami_id);
    assert_eq!(doc.instance_id, ID);
    assert_eq!(doc.instance_type, "t3.micro");
    assert_eq!(doc.pending_time, "2016-11-19T16:32:11Z");
    assert_eq!(doc.private_ip, "10.0.1.12");
    assert_eq!(doc.region, "us-east-1");
    assert_eq!(doc.version, "2017-09-30");
    for null in [
        doc.billing_products,
        doc.devpay_product_codes,
        doc.kernel_id,
        doc.marketplace_product_codes,
        doc.ramdisk_id,
    ] {
        assert_eq!(null, None);
    }
    // The null fields are written out, not left missing.
    for key in [
        "billingProducts",
        "devpayProductCodes",
        "kernelId",
        "marketplaceProductCodes",
        "ramdiskId",
    ] {
        assert!(g.body.contains(&format!("\"{key}\" : null")), "{key}");
    }
    assert!(
        g.body
            .starts_with("{\n  \"accountId\" : \"111122223333\",\n")
    );
}

#[test]
fn identity_document_escapes_caller_text() {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Escaped<'a> {
        account_id: heapless::String<16>,
        architecture: Option<&'a str>,
    }
    let mut s = imds();
    let mut m = md();
    m.account_id = "a\"b\\c\n\u{1}";
    m.architecture = None;
    let g = ask(
        &mut s,
        NOW,
        &ImdsRequest::get("/latest/dynamic/instance-identity/document"),
        &m,
    );
    assert!(
        g.body.contains(r#""accountId" : "a\"b\\c\n\u0001""#),
        "{}",
        g.body
    );
    assert!(g.body.contains(r#""architecture" : null"#));
    let mut scratch = [0u8; 64];
    let (doc, _): (Escaped<'_>, _) =
        serde_json_core::from_str_escaped(&g.body, &mut scratch).unwrap();
    assert_eq!(doc.account_id.as_str(), m.account_id);
    assert_eq!(doc.architecture, None);
}

#[test]
fn head_is_get_without_the_body() {
    let mut s = imds();
    for path in [
        "/latest/meta-data/",
        "/latest/meta-data/instance-id",
        "/latest/user-data",
        "/latest/dynamic/instance-identity/document",
    ] {
        let g = get(&mut s, path);
        let mut empty = [];
        let r = s
            .handle(
                NOW,
                &ImdsRequest {
                    method: Method::Head,
                    ..ImdsRequest::get(path)
                },
                &md(),
                &mut empty,
            )
            .unwrap();
        let Reply::Respond(r) = r else { panic!() };
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.content_length, g.body.len(), "{path}");
        assert_eq!(r.content_type, g.content_type);
        assert_eq!(r.body_len, 0);
    }
    let head404 = ImdsRequest {
        method: Method::Head,
        ..ImdsRequest::get("/latest/nothing")
    };
    assert_eq!(ask(&mut s, NOW, &head404, &md()).status, Status::NotFound);
}

#[test]
fn short_buffer_says_how_much_is_needed() {
    let mut s = imds();
    let want = body(&mut s, "/latest/meta-data/").len();
    let mut buf = [0u8; 10];
    assert_eq!(
        s.handle(
            NOW,
            &ImdsRequest::get("/latest/meta-data/"),
            &md(),
            &mut buf
        ),
        Err(ImdsError::BufferTooSmall { needed: want })
    );
    let mut exact = std::vec![0u8; want];
    assert!(
        s.handle(
            NOW,
            &ImdsRequest::get("/latest/meta-data/"),
            &md(),
            &mut exact
        )
        .is_ok()
    );
    // A token that does not fit is not issued.
    let mut small = [0u8; 63];
    assert_eq!(
        s.handle(NOW, &put(Some("60")), &md(), &mut small),
        Err(ImdsError::BufferTooSmall { needed: 64 })
    );
    assert_eq!(s.tokens_issued(), 0);
}

#[test]
fn other_methods_are_405() {
    let mut s = imds();
    let req = ImdsRequest {
        method: Method::Other,
        ..ImdsRequest::get("/latest/meta-data/")
    };
    assert_eq!(
        ask(&mut s, NOW, &req, &md()).status,
        Status::MethodNotAllowed
    );
    assert_eq!(Method::from_token("POST"), Method::Other);
    assert_eq!(Method::from_token("get"), Method::Other);
}

// --- tokens ------------------------------------------------------------------------------------

#[test]
fn put_issues_a_token_that_get_accepts() {
    let mut s = imds();
    let mut buf = [0u8; 128];
    let Reply::Respond(r) = s.handle(NOW, &put(Some("21600")), &md(), &mut buf).unwrap() else {
        panic!()
    };
    assert_eq!(r.status, Status::Ok);
    assert_eq!(r.token_ttl, Some(21_600));
    assert_eq!(r.ip_ttl, Some(1));
    assert_eq!((r.body_len, r.content_length), (64, 64));
    let t = core::str::from_utf8(&buf[..64]).unwrap();
    assert!(
        t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let g = ask(
        &mut s,
        NOW,
        &with_token("/latest/meta-data/instance-id", t),
        &md(),
    );
    assert_eq!((g.status, g.body.as_str()), (Status::Ok, ID));
    // Tokens differ (the counter), and both stay valid: no limit on concurrent tokens.
    let t2 = token(&mut s, NOW, "21600");
    assert_ne!(t, t2);
    assert_eq!(s.verify_token(NOW, ID, t), Ok(()));
    assert_eq!(s.verify_token(NOW, ID, &t2), Ok(()));
    assert_eq!(s.tokens_issued(), 2);
}

#[test]
fn ttl_must_be_1_to_21600() {
    let mut s = imds();
    for ttl in [
        None,
        Some(""),
        Some("0"),
        Some("21601"),
        Some("-1"),
        Some("+5"),
        Some("abc"),
        Some("1.5"),
        Some("99999999999999999999999"),
    ] {
        let g = ask(&mut s, NOW, &put(ttl), &md());
        assert_eq!(
            (g.status, g.content_length),
            (Status::BadRequest, 0),
            "{ttl:?}"
        );
    }
    assert_eq!(s.tokens_issued(), 0);
    for ttl in ["1", "21600", "0060"] {
        assert_eq!(ask(&mut s, NOW, &put(Some(ttl)), &md()).status, Status::Ok);
    }
    assert!(s.issue_token(NOW, ID, 0).is_none());
    assert!(s.issue_token(NOW, ID, 21_601).is_none());
}

#[test]
fn token_expires_after_its_ttl() {
    let mut s = imds();
    let t = token(&mut s, NOW, "60");
    let req = with_token("/latest/meta-data/instance-id", &t);
    let last = NOW + Duration::from_millis(59_999);
    assert_eq!(ask(&mut s, last, &req, &md()).status, Status::Ok);
    let end = NOW + Duration::from_secs(60);
    assert_eq!(ask(&mut s, end, &req, &md()).status, Status::Unauthorized);
    assert_eq!(s.verify_token(end, ID, &t), Err(TokenRejection::Expired));
}

#[test]
fn token_from_a_clock_that_went_back_is_refused() {
    let mut s = imds();
    let t = token(&mut s, NOW, "21600");
    let before = Instant::from_millis(NOW.total_millis() - 1);
    assert_eq!(
        s.verify_token(before, ID, &t),
        Err(TokenRejection::FromTheFuture)
    );
}

#[test]
fn forged_or_altered_tokens_are_401() {
    let mut s = imds();
    let t = token(&mut s, NOW, "600");
    // Every single-character change is caught by the MAC.
    for i in 0..t.len() {
        let mut bytes = t.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let forged = std::string::String::from_utf8(bytes).unwrap();
        let g = ask(
            &mut s,
            NOW,
            &with_token("/latest/meta-data/instance-id", &forged),
            &md(),
        );
        assert_eq!(g.status, Status::Unauthorized, "position {i}");
        assert_eq!(
            s.verify_token(NOW, ID, &forged),
            Err(TokenRejection::BadSignature)
        );
    }
    // Not a token at all.
    for bad in ["", "abc", &t[..63], &format!("{t}A"), &t.replace('A', "+")] {
        if bad == t {
            continue;
        }
        assert_eq!(
            ask(&mut s, NOW, &with_token("/latest/meta-data/", bad), &md()).status,
            Status::Unauthorized,
            "{bad}"
        );
    }
    let not_utf8 = ImdsRequest {
        token: Some(&[0xff, 0xfe]),
        ..ImdsRequest::get("/latest/meta-data/")
    };
    assert_eq!(
        ask(&mut s, NOW, &not_utf8, &md()).status,
        Status::Unauthorized
    );
    assert_eq!(
        s.verify_token(NOW, ID, "short"),
        Err(TokenRejection::Malformed)
    );
    // A token made under another secret (another controller) is refused.
    let mut other = Imds::new(MetadataOptions::default(), [8; 32]).unwrap();
    let foreign = token(&mut other, NOW, "600");
    assert_eq!(
        s.verify_token(NOW, ID, &foreign),
        Err(TokenRejection::BadSignature)
    );
}

#[test]
fn a_token_does_not_work_on_another_instance() {
    let mut s = imds();
    let t = token(&mut s, NOW, "600");
    let mut m = md();
    m.instance_id = "i-0000000000000000f";
    let g = ask(
        &mut s,
        NOW,
        &with_token("/latest/meta-data/instance-id", &t),
        &m,
    );
    assert_eq!(g.status, Status::Unauthorized);
    assert_eq!(
        s.verify_token(NOW, "i-0000000000000000f", &t),
        Err(TokenRejection::BadSignature)
    );
}

#[test]
fn token_layout_is_the_documented_hmac() {
    use hmac::{KeyInit, Mac};
    let key = TokenKey::new(SECRET);
    let t = key.issue(NOW, ID, Duration::from_secs(60), 5);
    let raw = token::decode(t.as_str().as_bytes()).unwrap();
    let expiry = NOW.total_millis() + 60_000;
    assert_eq!(raw[..8], expiry.to_be_bytes());
    assert_eq!(raw[8..16], 5u64.to_be_bytes());
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&SECRET).unwrap();
    mac.update(b"fleetcore imds token v1");
    mac.update(&(ID.len() as u64).to_be_bytes());
    mac.update(ID.as_bytes());
    mac.update(&raw[..16]);
    assert_eq!(raw[16..], mac.finalize().into_bytes()[..]);
    // Debug output never shows a credential.
    assert_eq!(format!("{t:?}"), "Token(..)");
    assert!(!format!("{:?}", imds()).contains("secret"));
}

#[test]
fn put_with_x_forwarded_for_is_403() {
    let mut s = imds();
    let req = ImdsRequest {
        forwarded_for: true,
        ..put(Some("60"))
    };
    let g = ask(&mut s, NOW, &req, &md());
    assert_eq!(g.status, Status::Forbidden);
    assert_eq!(s.tokens_issued(), 0);
    // A GET through a proxy is not refused for the header alone.
    let get = ImdsRequest {
        forwarded_for: true,
        ..ImdsRequest::get("/latest/meta-data/instance-id")
    };
    assert_eq!(ask(&mut s, NOW, &get, &md()).status, Status::Ok);
}

#[test]
fn put_to_a_versioned_or_other_path_is_403() {
    let mut s = imds();
    for path in [
        "/2021-03-23/api/token",
        "/latest/meta-data/",
        "/latest/api/token/",
        "/latest/api/tokens",
    ] {
        let req = ImdsRequest {
            path,
            ..put(Some("60"))
        };
        assert_eq!(
            ask(&mut s, NOW, &req, &md()).status,
            Status::Forbidden,
            "{path}"
        );
    }
    assert_eq!(s.tokens_issued(), 0);
}

#[test]
fn required_tokens_refuse_token_less_requests() {
    let mut s = Imds::new(
        MetadataOptions {
            http_tokens: HttpTokens::Required,
            ..MetadataOptions::default()
        },
        SECRET,
    )
    .unwrap();
    for (method, path) in [
        (Method::Get, "/latest/meta-data/instance-id"),
        (Method::Head, "/latest/meta-data/instance-id"),
        (Method::Get, "/latest/nothing"),
        (Method::Get, "/latest/user-data"),
    ] {
        let req = ImdsRequest {
            method,
            ..ImdsRequest::get(path)
        };
        assert_eq!(ask(&mut s, NOW, &req, &md()).status, Status::Unauthorized);
    }
    let t = token(&mut s, NOW, "60");
    let g = ask(
        &mut s,
        NOW,
        &with_token("/latest/meta-data/instance-id", &t),
        &md(),
    );
    assert_eq!((g.status, g.body.as_str()), (Status::Ok, ID));
    // The token check comes before the path: with a token, a missing item is a plain 404.
    let g = ask(&mut s, NOW, &with_token("/latest/nothing", &t), &md());
    assert_eq!(g.status, Status::NotFound);
}

#[test]
fn optional_tokens_still_check_a_token_that_is_sent() {
    let mut s = imds();
    assert_eq!(status(&mut s, "/latest/meta-data/instance-id"), Status::Ok);
    let g = ask(
        &mut s,
        NOW,
        &with_token("/latest/meta-data/instance-id", "bogus"),
        &md(),
    );
    assert_eq!(g.status, Status::Unauthorized);
}

#[test]
fn disabled_endpoint_is_403_for_everything() {
    let mut s = imds();
    let t = token(&mut s, NOW, "60");
    s.set_options(MetadataOptions {
        http_endpoint: HttpEndpoint::Disabled,
        ..MetadataOptions::default()
    })
    .unwrap();
    for req in [
        ImdsRequest::get("/latest/meta-data/instance-id"),
        ImdsRequest::get("/latest/nothing"),
        with_token("/latest/meta-data/instance-id", &t),
        put(Some("60")),
        put(None),
        ImdsRequest {
            method: Method::Head,
            ..ImdsRequest::get("/")
        },
        ImdsRequest {
            method: Method::Other,
            ..ImdsRequest::get("/")
        },
    ] {
        let g = ask(&mut s, NOW, &req, &md());
        assert_eq!(g.status, Status::Forbidden, "{req:?}");
    }
    assert_eq!(s.tokens_issued(), 1);
}

#[test]
fn hop_limit_drops_far_put_responses() {
    let mut s = imds();
    let mut buf = [0u8; 128];
    let far = ImdsRequest {
        hops: 2,
        ..put(Some("60"))
    };
    assert_eq!(
        s.handle(NOW, &far, &md(), &mut buf),
        Ok(Reply::Dropped { hops: 2, limit: 1 })
    );
    assert_eq!(s.tokens_issued(), 0, "a dropped response issues nothing");
    // GETs are not limited: IMDSv1 from a container still answers.
    let get_far = ImdsRequest {
        hops: 5,
        ..ImdsRequest::get("/latest/meta-data/instance-id")
    };
    assert_eq!(ask(&mut s, NOW, &get_far, &md()).status, Status::Ok);
    // Hop count 0 is the instance itself.
    let near = ImdsRequest {
        hops: 0,
        ..put(Some("60"))
    };
    assert!(matches!(
        s.handle(NOW, &near, &md(), &mut buf),
        Ok(Reply::Respond(Response {
            status: Status::Ok,
            ip_ttl: Some(1),
            ..
        }))
    ));
    // Containers need 2.
    s.set_options(MetadataOptions {
        http_put_response_hop_limit: 2,
        ..MetadataOptions::default()
    })
    .unwrap();
    let Reply::Respond(r) = s.handle(NOW, &far, &md(), &mut buf).unwrap() else {
        panic!()
    };
    assert_eq!((r.status, r.ip_ttl), (Status::Ok, Some(2)));
    // Error responses to a PUT carry the limit too.
    let Reply::Respond(r) = s.handle(NOW, &put(None), &md(), &mut buf).unwrap() else {
        panic!()
    };
    assert_eq!((r.status, r.ip_ttl), (Status::BadRequest, Some(2)));
    let three = ImdsRequest {
        hops: 3,
        ..put(Some("60"))
    };
    assert_eq!(
        s.handle(NOW, &three, &md(), &mut buf),
        Ok(Reply::Dropped { hops: 3, limit: 2 })
    );
}

// --- options -----------------------------------------------------------------------------------

#[test]
fn options_defaults_and_hop_limit_range() {
    let d = MetadataOptions::default();
    assert_eq!(d.http_endpoint, HttpEndpoint::Enabled);
    assert_eq!(d.http_tokens, HttpTokens::Optional);
    assert_eq!(d.http_put_response_hop_limit, 1);
    assert_eq!(d.instance_metadata_tags, InstanceMetadataTags::Disabled);
    for limit in [0u8, 65, 255] {
        let o = MetadataOptions {
            http_put_response_hop_limit: limit,
            ..d
        };
        assert_eq!(o.validate(), Err(ImdsError::HopLimitOutOfRange { limit }));
        assert_eq!(
            Imds::new(o, SECRET).map(|_| ()),
            Err(ImdsError::HopLimitOutOfRange { limit })
        );
        let mut s = imds();
        assert_eq!(
            s.set_options(o),
            Err(ImdsError::HopLimitOutOfRange { limit })
        );
        assert_eq!(*s.options(), d, "refused options leave the old ones");
    }
    for limit in [1u8, 2, 64] {
        let o = MetadataOptions {
            http_put_response_hop_limit: limit,
            ..d
        };
        assert_eq!(o.validate(), Ok(()));
    }
}

#[test]
fn options_use_the_api_spelling_in_json() {
    let o = MetadataOptions {
        http_tokens: HttpTokens::Required,
        http_put_response_hop_limit: 2,
        ..MetadataOptions::default()
    };
    let text: heapless::String<256> = serde_json_core::to_string(&o).unwrap();
    assert_eq!(
        text.as_str(),
        r#"{"HttpEndpoint":"enabled","HttpTokens":"required","HttpPutResponseHopLimit":2,"InstanceMetadataTags":"disabled"}"#
    );
    let (back, _): (MetadataOptions, _) = serde_json_core::from_str(&text).unwrap();
    assert_eq!(back, o);
}

// --- HTTP --------------------------------------------------------------------------------------

const CURL_GET: &[u8] = b"GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: 169.254.169.254\r\n\
User-Agent: curl/8.5.0\r\nAccept: */*\r\nx-AWS-ec2-METADATA-token: abc\r\n\r\n";

#[test]
fn parses_a_curl_request_with_case_insensitive_headers() {
    let p = Request::parse(CURL_GET, &HttpLimits::default()).unwrap();
    assert_eq!(p.consumed, CURL_GET.len());
    let r = &p.request;
    assert_eq!(
        (r.method, r.path, r.minor_version),
        ("GET", "/latest/meta-data/instance-id", 1)
    );
    assert_eq!(r.method(), Method::Get);
    assert_eq!(r.headers.len(), 4);
    assert_eq!(r.header("host"), Some(&b"169.254.169.254"[..]));
    assert_eq!(r.header("X-aws-ec2-metadata-token"), Some(&b"abc"[..]));
    assert_eq!(r.header("content-length"), None);
    let q = ImdsRequest::from_http(r, 1);
    assert_eq!(q.token, Some(&b"abc"[..]));
    assert!(!q.forwarded_for);
}

#[test]
fn every_prefix_of_a_request_is_incomplete() {
    let req = b"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\
Content-Length: 3\r\n\r\nabc";
    for n in 0..req.len() {
        assert_eq!(
            Request::parse(&req[..n], &HttpLimits::default()),
            Err(ImdsError::Incomplete),
            "prefix of {n} bytes"
        );
    }
    let p = Request::parse(req, &HttpLimits::default()).unwrap();
    assert_eq!(p.request.body, b"abc");
    assert_eq!(p.consumed, req.len());
}

#[test]
fn pipelined_requests_parse_one_after_the_other() {
    let mut two = CURL_GET.to_vec();
    two.extend_from_slice(b"\r\nHEAD / HTTP/1.0\r\n\r\n");
    let first = Request::parse(&two, &HttpLimits::default()).unwrap();
    let second = Request::parse(&two[first.consumed..], &HttpLimits::default()).unwrap();
    assert_eq!(second.request.method(), Method::Head);
    assert_eq!(second.request.minor_version, 0);
}

#[test]
fn each_limit_has_its_own_error_even_before_the_request_ends() {
    let limits = HttpLimits {
        request_line: 40,
        header_line: 30,
        headers: 2,
        total: 120,
    };
    let long_line = format!("GET /{} HTTP/1.1", "a".repeat(40));
    assert_eq!(
        Request::parse(long_line.as_bytes(), &limits),
        Err(ImdsError::RequestLineTooLong { limit: 40 })
    );
    assert_eq!(
        Request::parse(
            b"GET / HTTP/1.1\r\nX-Long: 0123456789012345678901234",
            &limits
        ),
        Err(ImdsError::HeaderLineTooLong { limit: 30 })
    );
    assert_eq!(
        Request::parse(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", &limits),
        Err(ImdsError::TooManyHeaders { limit: 2 })
    );
    assert_eq!(
        Request::parse(b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", &limits).map(|p| p.consumed),
        Ok(30)
    );
    let mut big = b"GET / HTTP/1.1\r\nA: 1\r\n".to_vec();
    big.resize(120, b'\n');
    assert_eq!(
        Request::parse(&big[..2], &limits),
        Err(ImdsError::Incomplete)
    );
    // Bytes that would pass the total: refused without waiting for more.
    let mut crowd = b"GET / HTTP/1.1\r\n".to_vec();
    while crowd.len() < 120 {
        crowd.push(b'\r');
    }
    assert_eq!(
        Request::parse(
            &crowd,
            &HttpLimits {
                header_line: 200,
                ..limits
            }
        ),
        Err(ImdsError::RequestTooLarge { limit: 120 })
    );
    assert_eq!(
        Request::parse(b"PUT / HTTP/1.1\r\nContent-Length: 200\r\n\r\n", &limits),
        Err(ImdsError::RequestTooLarge { limit: 120 })
    );
}

#[test]
fn malformed_requests_are_refused() {
    let l = HttpLimits::default();
    for bad in [
        &b"GET / HTTP/2.0\r\n\r\n"[..],
        b"G(T / HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n folded: x\r\n\r\n",
        b"GET  HTTP/1.1\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"GET /\x01 HTTP/1.1\r\n\r\n",
    ] {
        let e = Request::parse(bad, &l).unwrap_err();
        assert!(
            matches!(e, ImdsError::MalformedRequest { .. }),
            "{:?}: {e:?}",
            std::string::String::from_utf8_lossy(bad)
        );
        assert_eq!(e.http_status(), Some(Status::BadRequest));
    }
    assert_eq!(
        Request::parse(b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &l),
        Err(ImdsError::UnsupportedTransferEncoding)
    );
}

#[test]
fn a_parsed_request_writes_back_to_itself() {
    let raw = b"\r\nPUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds:60 \r\n\
Content-Length: 2\r\n\r\nhi";
    let p = Request::parse(raw, &HttpLimits::default()).unwrap();
    let mut out = [0u8; 256];
    let n = p.request.write_to(&mut out).unwrap();
    assert_eq!(
        &out[..n],
        b"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\
Content-Length: 2\r\n\r\nhi"
    );
    let again = Request::parse(&out[..n], &HttpLimits::default()).unwrap();
    assert_eq!(again.request, p.request);
    let mut small = [0u8; 8];
    assert_eq!(
        p.request.write_to(&mut small),
        Err(ImdsError::BufferTooSmall { needed: n })
    );
}

#[test]
fn limits_are_validated() {
    let d = HttpLimits::default();
    for (l, field) in [
        (
            HttpLimits {
                request_line: 0,
                ..d
            },
            "request_line",
        ),
        (
            HttpLimits {
                header_line: 0,
                ..d
            },
            "header_line",
        ),
        (
            HttpLimits {
                headers: MAX_HEADERS + 1,
                ..d
            },
            "headers",
        ),
        (HttpLimits { total: 0, ..d }, "total"),
    ] {
        assert_eq!(l.validate(), Err(ImdsError::InvalidLimit { field }));
        assert_eq!(
            Request::parse(CURL_GET, &l).map(|_| ()),
            Err(ImdsError::InvalidLimit { field })
        );
        let mut s = imds();
        assert_eq!(s.set_limits(l), Err(ImdsError::InvalidLimit { field }));
        assert_eq!(*s.limits(), d);
    }
    // Zero headers allowed is a valid (strict) setting.
    let none = HttpLimits { headers: 0, ..d };
    assert_eq!(
        Request::parse(b"GET / HTTP/1.1\r\n\r\n", &none).map(|p| p.consumed),
        Ok(18)
    );
}

#[test]
fn response_head_fits_its_bound() {
    let mut out = [0u8; 512];
    let n = write_head(
        Status::HeaderFieldsTooLarge,
        ContentType::OctetStream,
        usize::MAX,
        Some(u32::MAX),
        &mut out,
    )
    .unwrap();
    assert!(n <= MAX_HEAD_LEN, "{n}");
    let n = write_head(Status::Ok, ContentType::Json, 12, None, &mut out).unwrap();
    assert_eq!(
        &out[..n],
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n"
    );
}

fn serve(s: &mut Imds, now: Instant, input: &[u8], hops: u8) -> (Served, std::vec::Vec<u8>) {
    let mut out = std::vec![0u8; 4096];
    let served = s.serve(now, input, hops, &md(), &mut out).unwrap();
    let len = match served {
        Served::Response { len, .. } => len,
        Served::Dropped { .. } => 0,
    };
    out.truncate(len);
    (served, out)
}

#[test]
fn serve_answers_raw_bytes_end_to_end() {
    let mut s = imds();
    let put = b"PUT /latest/api/token HTTP/1.1\r\nHost: 169.254.169.254\r\n\
X-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n";
    let (served, out) = serve(&mut s, NOW, put, 1);
    assert_eq!(
        served,
        Served::Response {
            consumed: put.len(),
            len: out.len(),
            ip_ttl: Some(1),
            close: false
        }
    );
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 64\r\n\
X-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n";
    assert_eq!(&out[..head.len()], head);
    let t = std::string::String::from_utf8(out[head.len()..].to_vec()).unwrap();
    assert_eq!(s.verify_token(NOW, ID, &t), Ok(()));

    let get = format!(
        "GET /latest/meta-data/instance-id HTTP/1.1\r\nX-aws-ec2-metadata-token: {t}\r\n\r\n"
    );
    let (_, out) = serve(&mut s, NOW, get.as_bytes(), 1);
    assert_eq!(
        std::string::String::from_utf8(out).unwrap(),
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{ID}",
            ID.len()
        )
    );
    let (_, out) = serve(&mut s, NOW, b"HEAD /latest/user-data HTTP/1.1\r\n\r\n", 1);
    assert_eq!(
        out,
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 18\r\n\r\n"
    );
}

#[test]
fn serve_answers_unparseable_bytes_and_closes() {
    let mut s = imds();
    for (input, status) in [
        (&b"GET / HTTP/9.9\r\n\r\n"[..], 400),
        (b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
    ] {
        let (served, out) = serve(&mut s, NOW, input, 1);
        assert!(matches!(served, Served::Response { close: true, .. }));
        assert!(out.starts_with(format!("HTTP/1.1 {status} ").as_bytes()));
    }
    let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(600));
    let (_, out) = serve(&mut s, NOW, long.as_bytes(), 1);
    assert!(out.starts_with(b"HTTP/1.1 414 URI Too Long\r\n"));
    let mut many = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..17 {
        many.extend_from_slice(format!("H{i}: x\r\n").as_bytes());
    }
    let (_, out) = serve(&mut s, NOW, &many, 1);
    assert!(out.starts_with(b"HTTP/1.1 431 "));
    let mut out = [0u8; 512];
    assert_eq!(
        s.serve(NOW, b"GET /latest/", 1, &md(), &mut out),
        Err(ImdsError::Incomplete)
    );
}

#[test]
fn serve_drops_far_puts_and_reports_short_buffers() {
    let mut s = imds();
    let put = b"PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n";
    let (served, _) = serve(&mut s, NOW, put, 2);
    assert_eq!(
        served,
        Served::Dropped {
            consumed: put.len()
        }
    );
    let mut out = [0u8; 200];
    let get = b"GET /latest/dynamic/instance-identity/document HTTP/1.1\r\n\r\n";
    let doc_len = get_len(&mut imds(), "/latest/dynamic/instance-identity/document");
    assert_eq!(
        s.serve(NOW, get, 1, &md(), &mut out),
        Err(ImdsError::BufferTooSmall {
            needed: doc_len + MAX_HEAD_LEN
        })
    );
}

fn get_len(s: &mut Imds, path: &str) -> usize {
    get(s, path).content_length
}

// --- errors and sizes --------------------------------------------------------------------------

#[test]
fn error_codes_are_pinned_and_messages_actionable() {
    let all = [
        (
            ImdsError::BufferTooSmall { needed: 5 },
            1700,
            ErrorKind::CapacityExceeded,
        ),
        (
            ImdsError::HopLimitOutOfRange { limit: 0 },
            1701,
            ErrorKind::InvalidArgument,
        ),
        (
            ImdsError::UserDataTooLarge { len: 20_000 },
            1702,
            ErrorKind::CapacityExceeded,
        ),
        (ImdsError::Incomplete, 1703, ErrorKind::Malformed),
        (
            ImdsError::RequestLineTooLong { limit: 1 },
            1704,
            ErrorKind::CapacityExceeded,
        ),
        (
            ImdsError::HeaderLineTooLong { limit: 1 },
            1705,
            ErrorKind::CapacityExceeded,
        ),
        (
            ImdsError::TooManyHeaders { limit: 1 },
            1706,
            ErrorKind::CapacityExceeded,
        ),
        (
            ImdsError::RequestTooLarge { limit: 1 },
            1707,
            ErrorKind::CapacityExceeded,
        ),
        (
            ImdsError::MalformedRequest { reason: "x" },
            1708,
            ErrorKind::Malformed,
        ),
        (
            ImdsError::UnsupportedTransferEncoding,
            1709,
            ErrorKind::Unsupported,
        ),
        (
            ImdsError::InvalidLimit { field: "total" },
            1710,
            ErrorKind::InvalidArgument,
        ),
    ];
    for (e, code, kind) in all {
        assert_eq!((e.code(), e.kind()), (code, kind), "{e:?}");
        let text = e.to_string();
        assert!(!text.is_empty() && !text.ends_with('.'), "{text}");
    }
    assert_eq!(
        ImdsError::UserDataTooLarge { len: 20_000 }.to_string(),
        "user data is 20000 bytes; the service allows at most 16384"
    );
    assert_eq!(Status::Unauthorized.code(), 401);
    assert_eq!(Status::Forbidden.reason(), "Forbidden");
}

#[test]
fn sizes() {
    use core::mem::size_of;
    println!("size_of Imds = {}", size_of::<Imds>());
    println!("size_of MetadataOptions = {}", size_of::<MetadataOptions>());
    println!(
        "size_of InstanceMetadata = {}",
        size_of::<InstanceMetadata<'_>>()
    );
    println!(
        "size_of InterfaceMetadata = {}",
        size_of::<InterfaceMetadata<'_>>()
    );
    println!("size_of Request = {}", size_of::<Request<'_>>());
    println!("size_of Response = {}", size_of::<Response>());
    println!("size_of Token = {}", size_of::<Token>());
    assert!(size_of::<Imds>() <= 128);
}

/// Issue 19, item 5: a TTL with whitespace around it gets one answer on both paths: optional
/// whitespace around a field value is not part of it (RFC 9110 §5.5); inside it, it is.
#[test]
fn ttl_whitespace_gets_one_answer_on_both_paths() {
    for (ttl, want) in [
        ("5 ", Status::Ok),
        (" 5", Status::Ok),
        ("\t5\t ", Status::Ok),
        ("5 5", Status::BadRequest),
        (" ", Status::BadRequest),
        ("5\u{b}", Status::BadRequest),
    ] {
        let mut s = imds();
        let direct = ask(&mut s, NOW, &put(Some(ttl)), &md());
        let raw = std::format!(
            "PUT /latest/api/token HTTP/1.1\r\nX-aws-ec2-metadata-token-ttl-seconds: {ttl}\r\n\r\n"
        );
        let mut s2 = imds();
        let (_, out) = serve(&mut s2, NOW, raw.as_bytes(), 1);
        let line = std::format!("HTTP/1.1 {} ", want.code());
        assert_eq!(direct.status, want, "{ttl:?} through handle");
        assert!(
            out.starts_with(line.as_bytes()),
            "{ttl:?} through serve: {:?}",
            std::string::String::from_utf8_lossy(&out)
        );
        if want == Status::Ok {
            // The token verifies, and a token header with whitespace around it is accepted
            // on both paths too.
            let padded = std::format!(" {} ", direct.body);
            assert_eq!(
                ask(
                    &mut s,
                    NOW,
                    &with_token("/latest/meta-data/instance-id", &padded),
                    &md()
                )
                .status,
                Status::Ok
            );
            let get = std::format!(
                "GET /latest/meta-data/instance-id HTTP/1.1\r\nX-aws-ec2-metadata-token: {padded}\r\n\r\n"
            );
            let (_, out) = serve(&mut s, NOW, get.as_bytes(), 1);
            assert!(out.starts_with(b"HTTP/1.1 200 "));
        }
    }
}

#[test]
fn trim_ows_strips_spaces_and_tabs_only() {
    use crate::imds::http::trim_ows;
    assert_eq!(trim_ows(b""), b"");
    assert_eq!(trim_ows(b" \t "), b"");
    assert_eq!(trim_ows(b" a b\t"), b"a b");
    assert_eq!(trim_ows(b"\x0ba\r"), b"\x0ba\r");
}
