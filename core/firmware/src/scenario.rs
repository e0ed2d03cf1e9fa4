//! The lifecycle scenario, written once for both binaries.
//!
//! [`run`] drives fleetcore's public API through a day in the life of a small fleet: a catalog
//! with an EBS image, an instance-store image, a custom board type and launch templates (one with
//! two versions, resolved as `$Default` and `$Latest`); launches; boot reports and a boot
//! deadline completed by `tick`; reboot, stop, start, hibernation; a persistent Spot Instance
//! interrupted with its 2-minute notice and restarted by EC2; refused requests with their error
//! codes; termination; the billing clock; and the hour after which terminated instances are
//! forgotten.
//!
//! Every step is checked against the state SEMANTICS §1 expects. The scenario reports what it
//! does as [`Event`]s to a [`Sink`]: the `lifecycle` binary prints them with `Display` over
//! semihosting, `lifecycle_defmt` logs them with `defmt::Format` (which uses fleetcore's own
//! `defmt` derives). A failed check becomes an [`Event::Mismatch`] and is counted in the
//! [`Outcome`]; nothing panics.

use core::fmt;

use fleetcore::catalog::{
    Architecture, BootMode, Catalog, Category, Image, InstanceType, LaunchTemplateData,
    RootDeviceType, TypeName, VersionSpec,
};
use fleetcore::id::{ImageId, InstanceId, TemplateId};
use fleetcore::lifecycle::InstanceState::{
    Pending, Running, ShuttingDown, Stopped, Stopping, Terminated,
};
use fleetcore::lifecycle::LifecycleError;
use fleetcore::lifecycle::{
    Fleet, Instance, InstanceState, InterruptionBehavior, Market, Report, SpotRequestType,
    StateChange, Timeouts,
};
use fleetcore::{Duration, Error as _, Instant};

/// The catalog the scenario needs: 1 custom type, 2 images, 4 templates of up to 2 versions.
pub type ScenarioCatalog = Catalog<1, 2, 4, 2>;

/// Instances the fleet holds at once (5 are launched).
pub const FLEET_CAPACITY: usize = 8;

/// Seed of the catalog's launch template ids.
pub const CATALOG_SEED: u64 = 7;
/// Seed of the fleet's instance ids.
pub const FLEET_SEED: u64 = 42;

/// Boards are assumed up 40 s after launch or start if they never report, and gone 60 s after a
/// terminate; a stop always waits for the power-off report.
pub const TIMEOUTS: Timeouts = Timeouts {
    boot: Some(Duration::from_secs(40)),
    stop: None,
    shutdown: Some(Duration::from_secs(60)),
};

/// Everything the scenario mutates, in one value the binaries can place in a static.
pub struct World {
    /// Images, types and templates.
    pub catalog: ScenarioCatalog,
    /// The instances.
    pub fleet: Fleet<FLEET_CAPACITY>,
}

impl World {
    /// An empty catalog and fleet with the scenario's seeds and timeouts.
    pub const fn new() -> Self {
        Self { catalog: Catalog::new(CATALOG_SEED), fleet: Fleet::new(FLEET_SEED, TIMEOUTS) }
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// Receives the scenario's events; each binary renders them its own way.
pub trait Sink {
    /// One event, one output line.
    fn event(&mut self, event: &Event<'_>);
}

/// How the checks went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Checks that held.
    pub passed: u32,
    /// Checks that did not (each was reported as an [`Event::Mismatch`]).
    pub failed: u32,
}

impl Outcome {
    /// Whether every check held.
    pub fn ok(&self) -> bool {
        self.failed == 0 && self.passed > 0
    }
}

/// An expected or observed value in a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A change from one state to another (equal for reboots and notices).
    Transition(InstanceState, InstanceState),
    /// A state.
    State(InstanceState),
    /// A refusal with this error code.
    Error(u32),
    /// A tick with nothing due.
    Nothing,
    /// A billed or elapsed time.
    Duration(Duration),
    /// An instant, or none (a deadline).
    At(Option<Instant>),
    /// A count or version number.
    Count(u64),
    /// A yes/no fact.
    Flag(bool),
    /// An instance.
    Instance(InstanceId),
}

/// One line of the scenario's output.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A heading.
    Section(&'a str),
    /// A custom instance type was added.
    Board {
        /// Type name.
        name: &'a str,
        /// vCPUs.
        vcpus: u16,
        /// Memory in MiB.
        memory_mib: u32,
    },
    /// An image was registered.
    Image {
        /// Its id.
        id: ImageId,
        /// Its name.
        name: &'a str,
        /// Its root device type.
        root: RootDeviceType,
    },
    /// A launch template version exists (as the catalog now holds it).
    Version {
        /// Template name.
        template: &'a str,
        /// Template id.
        id: TemplateId,
        /// Version number.
        version: u32,
        /// The version's instance type.
        instance_type: &'a str,
    },
    /// A version specifier was resolved to a launch spec.
    Resolved {
        /// Template name.
        template: &'a str,
        /// What was asked.
        spec: VersionSpec,
        /// The version it resolved to.
        version: u32,
        /// That version's instance type.
        instance_type: &'a str,
    },
    /// An instance was launched.
    Launched {
        /// When.
        at: Instant,
        /// The scenario's name for it.
        label: &'a str,
        /// Its new id.
        id: InstanceId,
        /// Its state after launch.
        state: InstanceState,
        /// The template it came from.
        template: &'a str,
        /// The template version it came from.
        version: u32,
    },
    /// A request, report or tick changed an instance (or confirmed its state).
    Change {
        /// The scenario's name for the instance.
        label: &'a str,
        /// What fleetcore returned.
        change: StateChange,
    },
    /// A request was refused, as the scenario expects at this step.
    Refused {
        /// When.
        at: Instant,
        /// The scenario's name for the instance.
        label: &'a str,
        /// What was asked.
        request: &'a str,
        /// What fleetcore returned.
        error: LifecycleError,
    },
    /// A Spot interruption notice is pending.
    Notice {
        /// When it was given.
        at: Instant,
        /// The scenario's name for the instance.
        label: &'a str,
        /// What will happen.
        action: InterruptionBehavior,
        /// When it will happen.
        action_time: Instant,
    },
    /// A tick found nothing due.
    Idle {
        /// When.
        at: Instant,
    },
    /// The fleet's next deadline.
    NextDeadline {
        /// When asked.
        at: Instant,
        /// The deadline, if any.
        next: Option<Instant>,
    },
    /// How many instances the fleet holds.
    Held {
        /// When asked.
        at: Instant,
        /// Instances held (terminated ones within their visible hour included).
        held: usize,
    },
    /// One instance's billed usage.
    Billed {
        /// Up to when.
        at: Instant,
        /// The scenario's name for the instance.
        label: &'a str,
        /// Its id.
        id: InstanceId,
        /// Billed usage.
        billed: Duration,
        /// Running sessions so far (each paid its 60 s minimum).
        sessions: u32,
    },
    /// The fleet's billed usage, forgotten instances included.
    FleetBilled {
        /// Up to when.
        at: Instant,
        /// Billed usage.
        billed: Duration,
    },
    /// A check failed.
    Mismatch {
        /// Which step.
        step: &'a str,
        /// What the scenario expected.
        expected: Value,
        /// What fleetcore gave.
        actual: Value,
    },
    /// A setup call failed unexpectedly; the scenario stops here.
    Aborted {
        /// Which step.
        step: &'a str,
        /// What fleetcore returned.
        error: LifecycleError,
    },
    /// The end: how the checks went.
    Summary(Outcome),
}

/// The scenario stopped early (already reported as [`Event::Aborted`]).
struct Abort;

/// Emits events and counts checks.
struct Run<'s, K: Sink> {
    sink: &'s mut K,
    passed: u32,
    failed: u32,
}

const fn at(secs: u64) -> Instant {
    Instant::from_secs(secs)
}

const fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

impl<K: Sink> Run<'_, K> {
    fn emit(&mut self, event: Event<'_>) {
        self.sink.event(&event);
    }

    fn section(&mut self, name: &str) {
        self.emit(Event::Section(name));
    }

    /// Counts one check; a failed one is reported with both values.
    fn check(&mut self, step: &str, expected: Value, actual: Value) {
        if expected == actual {
            self.passed = self.passed.saturating_add(1);
        } else {
            self.failed = self.failed.saturating_add(1);
            self.emit(Event::Mismatch { step, expected, actual });
        }
    }

    /// A call that must succeed for the scenario to go on.
    fn need<T, E: Into<LifecycleError>>(
        &mut self,
        step: &str,
        r: Result<T, E>,
    ) -> Result<T, Abort> {
        r.map_err(|e| {
            self.failed = self.failed.saturating_add(1);
            self.emit(Event::Aborted { step, error: e.into() });
            Abort
        })
    }

    /// A request or report expected to move `label` from `from` to `to`.
    fn change(
        &mut self,
        label: &str,
        r: Result<StateChange, LifecycleError>,
        from: InstanceState,
        to: InstanceState,
    ) {
        let actual = match r {
            Ok(change) => {
                self.emit(Event::Change { label, change });
                Value::Transition(change.from, change.to)
            }
            Err(error) => Value::Error(error.code()),
        };
        self.check(label, Value::Transition(from, to), actual);
    }

    /// A request expected to be refused with `code`.
    fn refused(
        &mut self,
        now: Instant,
        label: &str,
        request: &str,
        r: Result<StateChange, LifecycleError>,
        code: u32,
    ) {
        let actual = match r {
            Ok(change) => {
                self.emit(Event::Change { label, change });
                Value::Transition(change.from, change.to)
            }
            Err(error) => {
                self.emit(Event::Refused { at: now, label, request, error });
                Value::Error(error.code())
            }
        };
        self.check(request, Value::Error(code), actual);
    }

    /// The instance is in `state` (after a refusal: nothing changed).
    fn state_is<const N: usize>(
        &mut self,
        label: &str,
        fleet: &Fleet<N>,
        id: InstanceId,
        state: InstanceState,
    ) {
        let actual = match fleet.get(id) {
            Ok(i) => Value::State(i.state()),
            Err(e) => Value::Error(e.code()),
        };
        self.check(label, Value::State(state), actual);
    }

    /// The instance has been forgotten: looking it up is refused as unknown.
    fn forgotten<const N: usize>(
        &mut self,
        fleet: &Fleet<N>,
        now: Instant,
        label: &str,
        id: InstanceId,
    ) {
        let actual = match fleet.get(id) {
            Ok(i) => Value::State(i.state()),
            Err(error) => {
                self.emit(Event::Refused { at: now, label, request: "describe", error });
                Value::Error(error.code())
            }
        };
        self.check("describe", Value::Error(1007), actual);
    }

    /// One tick at `now`, expected to complete `expect` (instance, from, to) or find nothing.
    fn tick<const N: usize>(
        &mut self,
        label: &str,
        fleet: &mut Fleet<N>,
        now: Instant,
        expect: Option<(InstanceId, InstanceState, InstanceState)>,
    ) {
        let got = fleet.tick(now);
        match got {
            Some(change) => self.emit(Event::Change { label, change }),
            None => self.emit(Event::Idle { at: now }),
        }
        let as_value = |c: Option<(InstanceId, InstanceState, InstanceState)>| match c {
            Some((_, from, to)) => Value::Transition(from, to),
            None => Value::Nothing,
        };
        self.check("tick", as_value(expect), as_value(got.map(|c| (c.id, c.from, c.to))));
        if let (Some((want, ..)), Some(c)) = (expect, got) {
            self.check("tick instance", Value::Instance(want), Value::Instance(c.id));
        }
    }

    fn next_deadline<const N: usize>(
        &mut self,
        fleet: &Fleet<N>,
        now: Instant,
        want: Option<Instant>,
    ) {
        let next = fleet.next_deadline();
        self.emit(Event::NextDeadline { at: now, next });
        self.check("next deadline", Value::At(want), Value::At(next));
    }

    fn billed<const N: usize>(
        &mut self,
        fleet: &Fleet<N>,
        now: Instant,
        label: &str,
        id: InstanceId,
        want: Duration,
        want_sessions: u32,
    ) {
        match fleet.get(id) {
            Ok(i) => {
                let billed = i.billed(now);
                let sessions = i.billing().sessions();
                self.emit(Event::Billed { at: now, label, id, billed, sessions });
                self.check(label, Value::Duration(want), Value::Duration(billed));
                self.check(
                    label,
                    Value::Count(want_sessions.into()),
                    Value::Count(sessions.into()),
                );
            }
            Err(e) => {
                self.check(label, Value::Duration(want), Value::Error(e.code()));
            }
        }
    }

    fn fleet_billed<const N: usize>(&mut self, fleet: &Fleet<N>, now: Instant, want: Duration) {
        let billed = fleet.billed(now);
        self.emit(Event::FleetBilled { at: now, billed });
        self.check("fleet billed", Value::Duration(want), Value::Duration(billed));
    }

    /// Reports a version the catalog holds, checking its instance type.
    fn version(
        &mut self,
        catalog: &ScenarioCatalog,
        id: TemplateId,
        version: u32,
        instance_type: &str,
    ) -> Result<(), Abort> {
        let template = self.need("look up template", catalog.template(id))?;
        let v = self.need("look up version", template.version(version))?;
        let stored = v.data().instance_type.as_str();
        self.emit(Event::Version { template: template.name(), id, version, instance_type: stored });
        self.check(template.name(), Value::Flag(true), Value::Flag(stored == instance_type));
        Ok(())
    }

    /// Resolves `spec`, launches one instance from it and checks it is `pending`.
    #[allow(clippy::too_many_arguments)]
    fn launch(
        &mut self,
        catalog: &ScenarioCatalog,
        fleet: &mut Fleet<FLEET_CAPACITY>,
        now: Instant,
        label: &str,
        template: TemplateId,
        spec: VersionSpec,
        want_version: u32,
    ) -> Result<InstanceId, Abort> {
        let launch_spec = self.need(label, catalog.launch_spec(template, spec))?;
        let version = launch_spec.template.map_or(0, |(_, v)| v);
        let id = self.need(label, fleet.launch(now, launch_spec))?;
        let name = catalog.template(template).map_or("?", |t| t.name());
        let state = fleet.get(id).map_or(Terminated, Instance::state);
        self.emit(Event::Launched { at: now, label, id, state, template: name, version });
        self.check(label, Value::Count(want_version.into()), Value::Count(version.into()));
        self.check(label, Value::State(Pending), Value::State(state));
        Ok(id)
    }
}

/// Runs the scenario, reporting every step to `sink`, and ends with [`Event::Summary`].
pub fn run<K: Sink>(sink: &mut K, world: &mut World) -> Outcome {
    let mut r = Run { sink, passed: 0, failed: 0 };
    // An abort was already reported; the summary still follows.
    let _ = script(&mut r, world);
    let outcome = Outcome { passed: r.passed, failed: r.failed };
    r.emit(Event::Summary(outcome));
    outcome
}

#[allow(clippy::too_many_lines)]
fn script<K: Sink>(r: &mut Run<'_, K>, world: &mut World) -> Result<(), Abort> {
    let World { catalog, fleet } = world;

    r.section("catalog");
    let board =
        r.need("board type", InstanceType::custom("mps2.an386", Category::GeneralPurpose, 1, 4))?;
    r.need("add board type", catalog.add_instance_type(board.clone()))?;
    r.emit(Event::Board {
        name: board.name.as_str(),
        vcpus: board.vcpus,
        memory_mib: board.memory_mib,
    });

    let ebs = r.need("ebs image id", ImageId::parse("ami-0123456789abcdef0"))?;
    let store = r.need("instance-store image id", ImageId::parse("ami-0fedcba9876543210"))?;
    let images = [
        (ebs, "edge-node", Architecture::Arm64, RootDeviceType::Ebs, BootMode::Uefi),
        (
            store,
            "scratch-node",
            Architecture::X86_64,
            RootDeviceType::InstanceStore,
            BootMode::LegacyBios,
        ),
    ];
    for (id, name, arch, root, boot) in images {
        let image = r.need(name, Image::new(id, name, arch, root, boot, ""))?;
        r.need(name, catalog.register_image(image))?;
        let root = catalog.image(id).map_or(root, |i| i.root_device_type);
        r.emit(Event::Image { id, name, root });
    }

    let type_name = |r: &mut Run<'_, K>, name: &str| r.need(name, TypeName::parse(name));

    let v1 = LaunchTemplateData::new(ebs, type_name(r, "t4g.micro")?);
    let nodes = r.need("edge-nodes", catalog.create_template("edge-nodes", v1, "first version"))?;
    r.version(catalog, nodes, 1, "t4g.micro")?;
    let v2 = LaunchTemplateData::new(ebs, type_name(r, "t4g.small")?);
    let second =
        r.need("edge-nodes v2", catalog.create_template_version(nodes, v2, "more memory"))?;
    r.version(catalog, nodes, second, "t4g.small")?;
    for (spec, want, want_type) in
        [(VersionSpec::Default, 1, "t4g.micro"), (VersionSpec::Latest, 2, "t4g.small")]
    {
        let launch_spec = r.need("resolve", catalog.launch_spec(nodes, spec))?;
        let version = launch_spec.template.map_or(0, |(_, v)| v);
        let instance_type = launch_spec.instance_type.as_str();
        r.emit(Event::Resolved { template: "edge-nodes", spec, version, instance_type });
        r.check("resolve", Value::Count(want), Value::Count(version.into()));
        r.check("resolve", Value::Flag(true), Value::Flag(instance_type == want_type));
    }

    let mut data = LaunchTemplateData::new(ebs, type_name(r, "m6g.large")?);
    data.hibernation_configured = true;
    let sleepers =
        r.need("edge-sleeper", catalog.create_template("edge-sleeper", data, "hibernates"))?;
    r.version(catalog, sleepers, 1, "m6g.large")?;

    let mut data = LaunchTemplateData::new(ebs, type_name(r, "m6g.medium")?);
    data.market = Market::Spot {
        request: SpotRequestType::Persistent,
        interruption: InterruptionBehavior::Stop,
    };
    let spots =
        r.need("edge-spot", catalog.create_template("edge-spot", data, "persistent spot"))?;
    r.version(catalog, spots, 1, "m6g.medium")?;

    let data = LaunchTemplateData::new(store, type_name(r, "mps2.an386")?);
    let scratch_t =
        r.need("scratch-boards", catalog.create_template("scratch-boards", data, "boards"))?;
    r.version(catalog, scratch_t, 1, "mps2.an386")?;

    r.section("launch");
    let web = r.launch(catalog, fleet, at(0), "web", nodes, VersionSpec::Default, 1)?;
    let scratch = r.launch(catalog, fleet, at(0), "scratch", scratch_t, VersionSpec::Default, 1)?;
    let sleeper = r.launch(catalog, fleet, at(0), "sleeper", sleepers, VersionSpec::Latest, 1)?;
    let spot = r.launch(catalog, fleet, at(0), "spot", spots, VersionSpec::Default, 1)?;
    r.next_deadline(fleet, at(0), Some(at(40)));
    r.refused(at(5), "web", "stop", fleet.stop(at(5), web, false), 1000);
    r.state_is("web", fleet, web, Pending);

    r.section("boot");
    r.change("web", fleet.observe(at(20), web, Report::Booted), Pending, Running);
    r.change("scratch", fleet.observe(at(25), scratch, Report::Booted), Pending, Running);
    r.change("spot", fleet.observe(at(30), spot, Report::Booted), Pending, Running);
    r.tick("sleeper", fleet, at(39), None);
    r.tick("sleeper", fleet, at(40), Some((sleeper, Pending, Running)));
    r.tick("sleeper", fleet, at(40), None);
    r.next_deadline(fleet, at(40), None);

    r.section("reboot, stop, start");
    r.change("web", fleet.reboot(at(60), web), Running, Running);
    let reboots = fleet.get(web).map_or(0, Instance::reboots);
    r.check("reboots", Value::Count(1), Value::Count(reboots.into()));
    r.refused(at(90), "web", "hibernate", fleet.hibernate(at(90), web), 1002);
    r.change("web", fleet.stop(at(120), web, false), Running, Stopping);
    r.change("web", fleet.observe(at(125), web, Report::PoweredOff), Stopping, Stopped);
    r.refused(at(200), "scratch", "stop", fleet.stop(at(200), scratch, false), 1001);
    r.state_is("scratch", fleet, scratch, Running);
    r.change("web", fleet.start(at(300), web), Stopped, Pending);
    r.change("web", fleet.observe(at(330), web, Report::Booted), Pending, Running);

    r.section("hibernate");
    r.change("sleeper", fleet.hibernate(at(400), sleeper), Running, Stopping);
    let hibernating = fleet.get(sleeper).is_ok_and(Instance::is_hibernating);
    r.check("hibernating", Value::Flag(true), Value::Flag(hibernating));
    // Hibernation is billed while stopping (SEMANTICS §1.3): 40 s to 420 s.
    r.billed(fleet, at(420), "sleeper", sleeper, secs(380), 1);
    r.change("sleeper", fleet.observe(at(430), sleeper, Report::PoweredOff), Stopping, Stopped);
    r.billed(fleet, at(500), "sleeper", sleeper, secs(390), 1);

    r.section("spot interruption");
    r.change("spot", fleet.observe(at(600), spot, Report::SpotInterruption), Running, Running);
    match fleet.get(spot).ok().and_then(Instance::spot_notice) {
        Some(n) => {
            r.emit(Event::Notice {
                at: n.notice_time,
                label: "spot",
                action: n.action,
                action_time: n.action_time,
            });
            r.check("notice", Value::At(Some(at(720))), Value::At(Some(n.action_time)));
            r.check(
                "notice",
                Value::Flag(true),
                Value::Flag(n.action == InterruptionBehavior::Stop),
            );
        }
        None => {
            r.check("notice", Value::At(Some(at(720))), Value::At(None));
        }
    }
    r.next_deadline(fleet, at(600), Some(at(720)));
    r.tick("spot", fleet, at(660), None);
    r.tick("spot", fleet, at(720), Some((spot, Running, Stopping)));
    r.change("spot", fleet.observe(at(730), spot, Report::PoweredOff), Stopping, Stopped);
    r.refused(at(800), "spot", "start", fleet.start(at(800), spot), 1004);
    r.state_is("spot", fleet, spot, Stopped);
    r.change("spot", fleet.observe(at(900), spot, Report::SpotRestart), Stopped, Pending);
    r.change("spot", fleet.observe(at(920), spot, Report::Booted), Pending, Running);

    r.section("terminate");
    let short = r.launch(catalog, fleet, at(1000), "short", nodes, VersionSpec::Latest, 2)?;
    r.change("short", fleet.observe(at(1010), short, Report::Booted), Pending, Running);
    r.change("short", fleet.terminate(at(1030), short), Running, ShuttingDown);
    r.change("web", fleet.terminate(at(1030), web), Running, ShuttingDown);
    r.change("web", fleet.observe(at(1040), web, Report::PoweredOff), ShuttingDown, Terminated);
    r.refused(at(1050), "web", "start", fleet.start(at(1050), web), 1000);
    r.state_is("web", fleet, web, Terminated);
    r.next_deadline(fleet, at(1050), Some(at(1090)));
    r.tick("short", fleet, at(1090), Some((short, ShuttingDown, Terminated)));
    r.change("scratch", fleet.terminate(at(1100), scratch), Running, ShuttingDown);
    r.tick("scratch", fleet, at(1160), Some((scratch, ShuttingDown, Terminated)));
    r.next_deadline(fleet, at(1160), None);

    r.section("billing");
    let now = at(1200);
    r.billed(fleet, now, "web", web, secs(100 + 700), 2);
    r.billed(fleet, now, "scratch", scratch, secs(1075), 1);
    r.billed(fleet, now, "sleeper", sleeper, secs(390), 1);
    r.billed(fleet, now, "spot", spot, secs(690 + 280), 2);
    // 20 s of running bills the 60 s minimum.
    r.billed(fleet, now, "short", short, secs(60), 1);
    r.fleet_billed(fleet, now, secs(800 + 1075 + 390 + 970 + 60));

    r.section("an hour later");
    let now = at(4800);
    r.tick("fleet", fleet, now, None);
    r.emit(Event::Held { at: now, held: fleet.len() });
    r.check("held", Value::Count(2), Value::Count(fleet.len() as u64));
    r.forgotten(fleet, now, "web", web);
    // Forgotten instances keep their billed usage in the fleet total.
    r.fleet_billed(fleet, now, secs(800 + 1075 + 60 + 390 + 690 + 3880));
    r.change("spot", fleet.terminate(now, spot), Running, ShuttingDown);
    r.change("spot", fleet.observe(at(4810), spot, Report::PoweredOff), ShuttingDown, Terminated);
    r.next_deadline(fleet, at(4810), None);
    r.fleet_billed(fleet, at(4900), secs(800 + 1075 + 60 + 390 + 690 + 3880));
    Ok(())
}

// ---- text rendering (the `lifecycle` binary) ----

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transition(from, to) => write!(f, "{from} -> {to}"),
            Self::State(s) => write!(f, "{s}"),
            Self::Error(code) => write!(f, "error {code}"),
            Self::Nothing => f.write_str("nothing"),
            Self::Duration(d) => write!(f, "{d}"),
            Self::At(Some(t)) => write!(f, "{t}"),
            Self::At(None) => f.write_str("none"),
            Self::Count(n) => write!(f, "{n}"),
            Self::Flag(b) => write!(f, "{b}"),
            Self::Instance(id) => write!(f, "{id}"),
        }
    }
}

impl fmt::Display for Event<'_> {
    #[allow(clippy::too_many_lines)] // one arm per event
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Section(name) => write!(f, "== {name}"),
            Self::Board { name, vcpus, memory_mib } => {
                write!(f, "board type {name}: {vcpus} vcpu, {memory_mib} MiB")
            }
            Self::Image { id, name, root } => write!(f, "image {id} {name} ({root})"),
            Self::Version { template, id, version, instance_type } => {
                write!(f, "template {template} {id} version {version}: {instance_type}")
            }
            Self::Resolved { template, spec, version, instance_type } => {
                write!(f, "resolve {template} {spec} -> version {version} ({instance_type})")
            }
            Self::Launched { at, label, id, state, template, version } => write!(
                f,
                "{at} {label}: launch {id} -> {state} [{}] from {template} v{version}",
                state.code()
            ),
            Self::Change { label, change } => write!(
                f,
                "{} {label}: {change} [{} -> {}]",
                change.at,
                change.from.code(),
                change.to.code()
            ),
            Self::Refused { at, label, request, error } => write!(
                f,
                "{at} {label}: {request} refused, error {} ({}): {error}",
                error.code(),
                error.kind()
            ),
            Self::Notice { at, label, action, action_time } => {
                write!(f, "{at} {label}: spot notice, {} at {action_time}", action.as_str())
            }
            Self::Idle { at } => write!(f, "{at} tick: nothing due"),
            Self::NextDeadline { at, next: Some(next) } => write!(f, "{at} next deadline {next}"),
            Self::NextDeadline { at, next: None } => write!(f, "{at} next deadline none"),
            Self::Held { at, held } => write!(f, "{at} fleet holds {held} instances"),
            Self::Billed { at, label, id, billed, sessions } => {
                write!(f, "{at} {label}: {id} billed {billed}, running sessions {sessions}")
            }
            Self::FleetBilled { at, billed } => write!(f, "{at} fleet billed {billed}"),
            Self::Mismatch { step, expected, actual } => {
                write!(f, "FAIL {step}: expected {expected}, got {actual}")
            }
            Self::Aborted { step, error } => {
                write!(f, "FAIL {step}: error {}: {error}; scenario stopped", error.code())
            }
            Self::Summary(o) => write!(f, "checks passed: {}, failed: {}", o.passed, o.failed),
        }
    }
}

// ---- defmt rendering (the `lifecycle_defmt` binary) ----
//
// The same lines, formatted on the host by defmt-print. fleetcore's own `defmt::Format` derives
// render the state changes and errors (`StateChange { id: i-…, from: Running, … }`), so the
// expected output also pins those derives.

#[cfg(feature = "defmt")]
impl defmt::Format for Value {
    // defmt interns each literal, so clippy sees "nothing" and "none" as the same arm.
    #[allow(clippy::match_same_arms)]
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Self::Transition(from, to) => {
                defmt::write!(f, "{=str} -> {=str}", from.name(), to.name());
            }
            Self::State(s) => defmt::write!(f, "{=str}", s.name()),
            Self::Error(code) => defmt::write!(f, "error {=u32}", code),
            Self::Nothing => defmt::write!(f, "nothing"),
            Self::Duration(d) => defmt::write!(f, "{=u64:ms}s", d.total_millis()),
            Self::At(Some(t)) => defmt::write!(f, "@{=u64:ms}s", t.total_millis()),
            Self::At(None) => defmt::write!(f, "none"),
            Self::Count(n) => defmt::write!(f, "{=u64}", n),
            Self::Flag(b) => defmt::write!(f, "{=bool}", b),
            Self::Instance(id) => defmt::write!(f, "{}", id),
        }
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Event<'_> {
    #[allow(clippy::too_many_lines)] // one arm per event
    fn format(&self, f: defmt::Formatter<'_>) {
        match *self {
            Self::Section(name) => defmt::write!(f, "== {=str}", name),
            Self::Board { name, vcpus, memory_mib } => {
                defmt::write!(
                    f,
                    "board type {=str}: {=u16} vcpu, {=u32} MiB",
                    name,
                    vcpus,
                    memory_mib
                );
            }
            Self::Image { id, name, root } => {
                defmt::write!(f, "image {} {=str} ({=str})", id, name, root.as_str());
            }
            Self::Version { template, id, version, instance_type } => defmt::write!(
                f,
                "template {=str} {} version {=u32}: {=str}",
                template,
                id,
                version,
                instance_type
            ),
            Self::Resolved { template, spec, version, instance_type } => defmt::write!(
                f,
                "resolve {=str} {} -> version {=u32} ({=str})",
                template,
                spec,
                version,
                instance_type
            ),
            Self::Launched { at, label, id, state, template, version } => defmt::write!(
                f,
                "@{=u64:ms}s {=str}: launch {} -> {} [{=u8}] from {=str} v{=u32}",
                at.total_millis(),
                label,
                id,
                state,
                state.code(),
                template,
                version
            ),
            Self::Change { label, change } => defmt::write!(
                f,
                "@{=u64:ms}s {=str}: {} [{=u8} -> {=u8}]",
                change.at.total_millis(),
                label,
                change,
                change.from.code(),
                change.to.code()
            ),
            Self::Refused { at, label, request, error } => defmt::write!(
                f,
                "@{=u64:ms}s {=str}: {=str} refused, error {=u32} ({}): {}",
                at.total_millis(),
                label,
                request,
                error.code(),
                error.kind(),
                error
            ),
            Self::Notice { at, label, action, action_time } => defmt::write!(
                f,
                "@{=u64:ms}s {=str}: spot notice, {} at @{=u64:ms}s",
                at.total_millis(),
                label,
                action,
                action_time.total_millis()
            ),
            Self::Idle { at } => {
                defmt::write!(f, "@{=u64:ms}s tick: nothing due", at.total_millis());
            }
            Self::NextDeadline { at, next } => {
                defmt::write!(
                    f,
                    "@{=u64:ms}s next deadline {}",
                    at.total_millis(),
                    Value::At(next)
                );
            }
            Self::Held { at, held } => {
                defmt::write!(
                    f,
                    "@{=u64:ms}s fleet holds {=usize} instances",
                    at.total_millis(),
                    held
                );
            }
            Self::Billed { at, label, id, billed, sessions } => defmt::write!(
                f,
                "@{=u64:ms}s {=str}: {} billed {=u64:ms}s, running sessions {=u32}",
                at.total_millis(),
                label,
                id,
                billed.total_millis(),
                sessions
            ),
            Self::FleetBilled { at, billed } => defmt::write!(
                f,
                "@{=u64:ms}s fleet billed {=u64:ms}s",
                at.total_millis(),
                billed.total_millis()
            ),
            Self::Mismatch { step, expected, actual } => {
                defmt::write!(f, "FAIL {=str}: expected {}, got {}", step, expected, actual);
            }
            Self::Aborted { step, error } => defmt::write!(
                f,
                "FAIL {=str}: error {=u32}: {}; scenario stopped",
                step,
                error.code(),
                error
            ),
            Self::Summary(o) => {
                defmt::write!(f, "checks passed: {=u32}, failed: {=u32}", o.passed, o.failed);
            }
        }
    }
}
