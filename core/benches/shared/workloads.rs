//! The operations the benchmark report measures, written once without std so the criterion
//! benches (`core/benches/ops.rs`, on the host) and the Cortex-M4 firmware
//! (`core/firmware/src/bin/bench.rs`, instruction counts in QEMU) run exactly the same code.
//!
//! Setup returns `None` when a case does not reach the state it claims; each caller turns that
//! into a failure. The operations themselves return a value the caller passes to `black_box`.

use core::mem::MaybeUninit;

use fleetcore::Instant;
use fleetcore::catalog::InstanceType;
use fleetcore::group::{
    Action, Event, Group, GroupConfig, MAX_SCHEDULED, MemberState, ScalingPolicy, Source,
};
use fleetcore::id::{EniId, TemplateId};
use fleetcore::imds::{Imds, InstanceMetadata, InterfaceMetadata, MetadataOptions, Served, Tag};
use fleetcore::lifecycle::{InstanceState, Market};
use fleetcore::network::{
    Direction, Ipv4Cidr, Network, Packet, PortRange, Quotas, Rule, Verdict, parse_ipv4,
};
use fleetcore::scaling::hpa::{Autoscaler, MemberMetric, desired_replicas};
use fleetcore::scaling::target::{Recommendation, TargetTracking};
use fleetcore::scaling::{
    AdjustmentType, Alarm, AlarmConfig, Comparison, Metric, StepAdjustment, Value, select_step,
    target_capacity,
};
use fleetcore::sim::{Simulator, World};
use fleetcore::time::Duration;

/// The action buffer a controller would pass to each tick.
pub type Out = heapless::Vec<Action, 16>;

const ZONES: [&str; 3] = ["zone-a", "zone-b", "zone-c"];
const MINUTE: Duration = Duration::from_secs(60);

/// The instant every tick of a case runs at (the setup settles the group at this time too).
pub const fn now() -> Instant {
    Instant::from_secs(1_000)
}

/// The configuration of a benchmark group of capacity `N` at `desired`, in three zones.
pub fn config<const N: usize>(desired: u32) -> Option<GroupConfig> {
    let max = u32::try_from(N).ok()?;
    let mut config = GroupConfig::new(0, max, TemplateId::from_u64(1), ZONES[0]).ok()?;
    for zone in ZONES.iter().skip(1) {
        config.add_zone(zone).ok()?;
    }
    config.desired_capacity = Some(desired);
    Some(config)
}

/// A new group of capacity `N` built in `slot` (no copy of it on the stack), empty until
/// [`steady`] or [`one_stopped`] fills it.
pub fn group_in<const N: usize>(slot: &mut MaybeUninit<Group<N>>) -> Option<&mut Group<N>> {
    Group::init(slot, config::<N>(0)?, 7).ok()
}

/// Makes `group` (of capacity `N`) a group at `desired` in three zones, every member booted
/// and in service, in place. Full (`desired` = `N`) it is the quiet tick's group: nothing to
/// do, so `tick` is only the scan.
pub fn steady<const N: usize>(group: &mut Group<N>, desired: u32) -> Option<()> {
    group.reset(config::<N>(desired)?, 7).ok()?;
    // Each tick writes as many launches as fit in `out`; the rest stay owed for the next one.
    loop {
        let mut out = Out::new();
        group.tick(now(), &mut out);
        if out.is_empty() {
            break;
        }
        for action in &out {
            if let Action::Launch { id, .. } = *action {
                group.observe(now(), Event::Booted(id)).ok()?;
            }
        }
    }
    let settled = group.members().len() == usize::try_from(desired).ok()?
        && group
            .members()
            .iter()
            .all(|m| m.state() == MemberState::InService);
    settled.then_some(())
}

/// Copies `from` into `to` in place, through a snapshot in `buf` (`Group::restore_into`
/// refills `to` one element at a time): the bench firmware's way to give each measured tick
/// a fresh group without a group-sized temporary on the stack.
pub fn copy<const N: usize>(from: &Group<N>, to: &mut Group<N>, buf: &mut [u8]) -> Option<()> {
    let n = from.snapshot(buf).ok()?;
    to.restore_into(buf.get(..n)?).ok()
}

/// Makes `group` a steady group of `N − 1` members (one slot free for the replacement) after
/// its middle member reported EC2 `stopped`. The busy tick: it terminates that member and
/// launches its replacement (two actions), so each measured tick needs a fresh copy of this
/// group. `probe` (any group of capacity `N`) and `buf` (room for its snapshot) check that.
pub fn one_stopped<const N: usize>(
    group: &mut Group<N>,
    probe: &mut Group<N>,
    buf: &mut [u8],
) -> Option<()> {
    let desired = u32::try_from(N.checked_sub(1)?).ok()?;
    steady::<N>(group, desired)?;
    let id = group.members().get(N / 2)?.id();
    group
        .observe(now(), Event::Ec2State(id, InstanceState::Stopped))
        .ok()?;
    copy(group, probe, buf)?;
    let mut out = Out::new();
    probe.tick(now(), &mut out);
    let terminates = out
        .iter()
        .filter(|a| matches!(a, Action::Terminate { id: t } if *t == id))
        .count();
    let launches = out
        .iter()
        .filter(|a| matches!(a, Action::Launch { .. }))
        .count();
    (out.len() == 2 && terminates == 1 && launches == 1).then_some(())
}

/// One tick of `group` at [`now`]; returns how many actions it wrote.
pub fn tick<const N: usize>(group: &mut Group<N>, out: &mut Out) -> usize {
    out.clear();
    group.tick(now(), out);
    out.len()
}

/// The scaling decisions: a CPU metric with 15 one-minute datapoints around 80 %, an alarm on
/// it (> 70 % for 3 of 3), a three-step policy, a target-tracking policy at 50 %, and the HPA
/// calculation over 64 members with its autoscaler.
pub struct Scaling {
    metric: Metric<16>,
    alarm: Alarm,
    steps: [StepAdjustment; 3],
    tracking: TargetTracking,
    members: [MemberMetric; 64],
    hpa: Autoscaler,
    at: Instant,
}

impl Scaling {
    /// The case, with its metric filled.
    pub fn new() -> Option<Self> {
        let mut metric = Metric::<16>::new(MINUTE).ok()?;
        let start = Instant::from_secs(0);
        for i in 0..15u32 {
            let at = start.saturating_add(Duration::from_secs(u64::from(i) * 60 + 30));
            metric
                .record(at, Value::from_int(75 + i64::from(i % 10)))
                .ok()?;
        }
        let config = AlarmConfig::new(Comparison::GreaterThan, Value::from_int(70), 3);
        let alarm = Alarm::new(start, config, MINUTE).ok()?;
        let steps = [
            StepAdjustment {
                lower: Some(Value::ZERO),
                upper: Some(Value::from_int(10)),
                adjustment: 1,
            },
            StepAdjustment {
                lower: Some(Value::from_int(10)),
                upper: Some(Value::from_int(20)),
                adjustment: 2,
            },
            StepAdjustment {
                lower: Some(Value::from_int(20)),
                upper: None,
                adjustment: 4,
            },
        ];
        let tracking = TargetTracking {
            target: Value::from_int(50),
            disable_scale_in: false,
        };
        let mut members = [MemberMetric::Missing; 64];
        for (i, m) in (0i64..).zip(members.iter_mut()) {
            *m = match i % 16 {
                0 => MemberMetric::Unready,
                15 => MemberMetric::Missing,
                _ => MemberMetric::Ready(Value::from_int(60 + i % 30)),
            };
        }
        Some(Self {
            metric,
            alarm,
            steps,
            tracking,
            members,
            hpa: Autoscaler::new(None),
            at: Instant::from_secs(15 * 60),
        })
    }

    /// Evaluates the alarm against its metric (one evaluation of the last 3 periods).
    pub fn alarm(&mut self) -> bool {
        self.alarm
            .evaluate(self.at, &self.metric)
            .unwrap_or_default()
    }

    /// A step-scaling decision: the step for metric 87 % against threshold 70 %, then the
    /// desired capacity it gives from 10.
    pub fn step(&self, metric: Value) -> u32 {
        let Some(step) = select_step(&self.steps, metric, Value::from_int(70)) else {
            return 10;
        };
        target_capacity(
            AdjustmentType::ChangeInCapacity,
            step.adjustment,
            None,
            10,
            10,
        )
        .unwrap_or(10)
    }

    /// A target-tracking decision: what 10 members at `metric` call for with a 50 % target.
    pub fn target(&self, metric: Value) -> u32 {
        match self.tracking.recommend(10, metric) {
            Recommendation::Out(n) | Recommendation::In(n) => n,
            Recommendation::Hold => 10,
        }
    }

    /// An HPA decision: the replica calculation over 64 members, then the autoscaler's
    /// normalisation (stabilisation window and rate limits) at a time one minute later than
    /// the last.
    pub fn hpa(&mut self) -> u32 {
        let desired = desired_replicas(64, &self.members, Value::from_int(50));
        self.at = self.at.saturating_add(MINUTE);
        self.hpa.normalize(self.at, 64, desired, 1, 256)
    }
}

const SGS: &[&str] = &["web", "default"];
const IPS: &[&str] = &["10.0.1.12"];
const SG_IDS: &[&str] = &["sg-0123456789abcdef0", "sg-00000000000000001"];
const VPC_CIDRS: &[&str] = &["10.0.0.0/16"];
const ENIS: &[InterfaceMetadata<'static>] = &[InterfaceMetadata {
    mac: "0e:49:61:0f:c3:11",
    device_number: 0,
    network_card_index: 0,
    interface_id: "eni-0f95d3625f5c521cc",
    local_ipv4s: IPS,
    public_ipv4s: &[],
    ipv6s: &[],
    subnet_id: "subnet-0ac62554",
    subnet_ipv4_cidr_block: "10.0.1.0/24",
    vpc_id: "vpc-d295a6a7",
    vpc_ipv4_cidr_blocks: VPC_CIDRS,
    security_group_ids: SG_IDS,
    security_groups: SGS,
    owner_id: "111122223333",
}];
const TAGS: &[Tag<'static>] = &[Tag {
    key: "Name",
    value: "web-1",
}];
const INSTANCE_ID: &str = "i-1234567890abcdef0";

/// The instance the metadata service answers about.
pub const fn metadata() -> InstanceMetadata<'static> {
    InstanceMetadata {
        instance_id: INSTANCE_ID,
        ami_id: "ami-0abcdef1234567890",
        instance_type: "t3.micro",
        hostname: "ip-10-0-1-12.ec2.internal",
        local_hostname: "ip-10-0-1-12.ec2.internal",
        local_ipv4: "10.0.1.12",
        mac: "0e:49:61:0f:c3:11",
        public_ipv4: None,
        public_hostname: None,
        reservation_id: "r-0123456789abcdef0",
        ami_launch_index: 0,
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
        user_data: None,
        account_id: "111122223333",
        architecture: None,
        pending_time: Instant::from_secs(1_479_573_131),
    }
}

/// An `IMDSv2` `GET /latest/meta-data/instance-id` with a session token, as raw bytes.
pub struct ImdsCase {
    imds: Imds,
    request: heapless::Vec<u8, 256>,
}

const IMDS_NOW: Instant = Instant::from_secs(1_700_000_000);

impl ImdsCase {
    /// The service and the request, with a token issued for the instance.
    pub fn new() -> Option<Self> {
        let mut imds = Imds::new(MetadataOptions::default(), [7; 32]).ok()?;
        let token = imds.issue_token(IMDS_NOW, INSTANCE_ID, 21_600)?;
        let mut request = heapless::Vec::new();
        for part in [
            "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: 169.254.169.254\r\n",
            "X-aws-ec2-metadata-token: ",
            token.as_str(),
            "\r\n\r\n",
        ] {
            request.extend_from_slice(part.as_bytes()).ok()?;
        }
        Some(Self { imds, request })
    }

    /// Parses the request, checks the token and writes the whole response into `out`;
    /// returns its length (0 if it was not a 200 with the instance id).
    pub fn serve(&mut self, out: &mut [u8]) -> usize {
        match self
            .imds
            .serve(IMDS_NOW, &self.request, 1, &metadata(), out)
        {
            Ok(Served::Response { len, .. }) => len,
            _ => 0,
        }
    }
}

/// The network of the security-group case.
pub type Net = Network<4, 16, 16, 8, 64, 32>;

/// Security-group evaluation: an interface carrying two groups with eight inbound rules in
/// all; the packet (HTTPS from the internet) matches the last rule of the second group.
pub struct SgCase {
    net: Net,
    eni: EniId,
    packet: Packet,
}

impl SgCase {
    /// The network, its groups and the packet.
    pub fn new() -> Option<Self> {
        let cidr = |s: &str| Ipv4Cidr::parse(s).ok();
        let mut net = Net::new(cidr("10.0.0.0/16")?, Quotas::DEFAULT, 7).ok()?;
        let subnet = net.create_subnet(cidr("10.0.1.0/24")?, "us-east-1a").ok()?;
        let admin = net.create_security_group("admin").ok()?;
        let web = net.create_security_group("web").ok()?;
        for (i, port) in (1u8..).zip([22u16, 3389, 5432, 6379]) {
            let src = Ipv4Cidr::new(core::net::Ipv4Addr::new(198, 51, 100, i), 32).ok()?;
            net.authorize(
                admin,
                Direction::Inbound,
                Rule::tcp(PortRange::single(port), src),
            )
            .ok()?;
        }
        for port in [8080u16, 8443, 80, 443] {
            net.authorize(
                web,
                Direction::Inbound,
                Rule::tcp(PortRange::single(port), Ipv4Cidr::ANY),
            )
            .ok()?;
        }
        let itype = InstanceType::builtin("t3.micro").ok()?;
        let eni = net
            .launch(
                fleetcore::id::InstanceId::from_u64(1),
                &itype,
                subnet,
                None,
                &[admin, web],
            )
            .ok()?;
        let packet = Packet::tcp(
            parse_ipv4("203.0.113.1").ok()?,
            50_000,
            parse_ipv4("10.0.1.4").ok()?,
            443,
        );
        let case = Self { net, eni, packet };
        case.evaluate().is_allowed().then_some(case)
    }

    /// What the rules say about the packet (no connection tracking, nothing changes).
    pub fn evaluate(&self) -> Verdict {
        self.net
            .evaluate(self.eni, Direction::Inbound, &self.packet)
            .unwrap_or(Verdict::Denied(fleetcore::network::Denial::NoRule))
    }
}

/// The simulated group of capacity `N`.
pub type Sim<const N: usize> = Simulator<N, fleetcore::group::AllParts<32, MAX_SCHEDULED>>;

/// A scenario of capacity `N` built in `slot`: target tracking at 50 % CPU, members serving
/// 100 each, booting in 2 minutes; the load ([`load`]) swings between 20 % and 100 % of
/// `N × 25` every two hours, so the group scales out in steps on every rise and scales in by
/// up to half of its members on every fall. Warmed up for two hours of one-minute steps
/// before it is returned with the next step's number; measure whole periods (multiples of 120
/// steps), since a step's cost depends on its phase.
pub fn simulator<const N: usize>(slot: &mut MaybeUninit<Sim<N>>) -> Option<(&mut Sim<N>, u64)> {
    let max = u32::try_from(N).ok()?;
    let config = GroupConfig::new(1, max, TemplateId::from_u64(1), ZONES[0]).ok()?;
    // The metric's index is fixed by the order of `put_metric` calls: the first is 0.
    let world = World {
        member_capacity: Value::from_int(100),
        boot_time: Duration::from_secs(120),
        slo_utilisation: Value::from_int(90),
        price_per_hour: Value::from_int(6),
        utilisation_metric: Some(0),
        load_metric: None,
    };
    let sim = Simulator::init(slot, config, 7, world).ok()?;
    let group = sim.group_mut();
    let cpu = group.put_metric("CPU", MINUTE, Source::Members).ok()?;
    if cpu != 0 {
        return None;
    }
    group
        .put_scaling_policy(ScalingPolicy::TargetTracking {
            metric: cpu,
            tracking: TargetTracking {
                target: Value::from_int(50),
                disable_scale_in: false,
            },
            warmup: Some(Duration::from_secs(120)),
            hpa: None,
        })
        .ok()?;
    let mut step = 0u64;
    while step < 120 {
        sim_step(sim, step)?;
        step += 1;
    }
    Some((sim, step))
}

/// The load of step `i` for a group of capacity `n`: a triangle wave of period 120 steps
/// between 20 % and 100 % of `n × 25`, deep enough for target tracking's `AlarmLow`
/// (below 70 % of target for 15 minutes) to fire on every fall as `AlarmHigh` does on every rise.
pub fn load(n: usize, i: u64) -> Value {
    let base = i64::try_from(n).unwrap_or(i64::MAX).saturating_mul(25_000);
    let phase = i64::try_from(i % 120).unwrap_or(0);
    let tri = if phase < 60 { phase } else { 120 - phase }; // 0..=60
    // 20 % + tri × (80 % / 60).
    Value::from_milli(base / 300 * (60 + tri * 4))
}

/// One one-minute step of the scenario, step number `i`; returns the step's desired capacity.
pub fn sim_step<const N: usize>(sim: &mut Sim<N>, i: u64) -> Option<u32> {
    let at = Instant::from_secs(i.saturating_mul(60));
    sim.step(at, MINUTE, load(N, i), |_, _| {})
        .ok()
        .map(|s| s.desired)
}
