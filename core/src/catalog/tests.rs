//! The catalog as a whole: references are checked, templates resolve into launch specs.

use super::*;
use crate::catalog::CatalogError;
use crate::error::{Error, ErrorKind};
use crate::lifecycle::{Market, ShutdownBehavior};
use crate::test_prelude::*;

type Small = Catalog<2, 2, 2, 3>;

fn image(n: u64, root: RootDeviceType) -> Image {
    Image::new(
        ImageId::from_u64(n),
        "node-image",
        Architecture::X86_64,
        root,
        BootMode::Uefi,
        "",
    )
    .unwrap()
}

fn data(n: u64, ty: &str) -> LaunchTemplateData {
    LaunchTemplateData::new(ImageId::from_u64(n), TypeName::parse(ty).unwrap())
}

fn catalog() -> Small {
    let mut c = Small::new(11);
    c.register_image(image(1, RootDeviceType::Ebs)).unwrap();
    c.register_image(image(2, RootDeviceType::InstanceStore))
        .unwrap();
    c
}

#[test]
fn templates_must_name_known_images_and_types() {
    let mut c = catalog();
    assert_eq!(
        c.create_template("web", data(3, "m5.large"), ""),
        Err(CatalogError::UnknownImage)
    );
    assert_eq!(
        c.create_template("web", data(1, "m5.gigantic"), ""),
        Err(CatalogError::UnknownInstanceType)
    );
    assert!(c.template_by_name("web").is_err());
    let id = c.create_template("web", data(1, "m5.large"), "").unwrap();
    assert_eq!(c.template(id).unwrap().name(), "web");
    assert_eq!(
        c.create_template("web", data(1, "m5.large"), ""),
        Err(CatalogError::DuplicateTemplateName)
    );
    assert_eq!(
        c.create_template_version(id, data(1, "nope.large"), ""),
        Err(CatalogError::UnknownInstanceType)
    );
    assert_eq!(c.template(id).unwrap().versions().count(), 1);
}

#[test]
fn launch_spec_resolves_default_and_latest_at_each_call() {
    let mut c = catalog();
    let id = c.create_template("web", data(1, "m5.large"), "v1").unwrap();
    let latest = c.launch_spec(id, VersionSpec::Latest).unwrap();
    assert_eq!(latest.template, Some((id, 1)));
    let mut v2 = data(2, "c5.large");
    v2.shutdown_behavior = ShutdownBehavior::Terminate;
    assert_eq!(c.create_template_version(id, v2, "v2"), Ok(2));
    let latest = c.launch_spec(id, VersionSpec::Latest).unwrap();
    assert_eq!(latest.template, Some((id, 2)));
    assert_eq!(latest.instance_type.as_str(), "c5.large");
    assert_eq!(latest.root_device, RootDeviceType::InstanceStore);
    assert_eq!(latest.shutdown_behavior, ShutdownBehavior::Terminate);
    let default = c.launch_spec(id, VersionSpec::Default).unwrap();
    assert_eq!(default.template, Some((id, 1)));
    assert_eq!(default.market, Market::OnDemand);
    c.set_default_version(id, 2).unwrap();
    assert_eq!(
        c.launch_spec(id, VersionSpec::Default).unwrap().template,
        Some((id, 2))
    );
    assert_eq!(
        c.delete_template_version(id, 2),
        Err(CatalogError::DeleteDefaultVersion { version: 2 })
    );
    c.delete_template_version(id, 1).unwrap();
    assert_eq!(
        c.launch_spec(id, VersionSpec::Number(1)),
        Err(CatalogError::UnknownVersion { version: 1 })
    );
}

#[test]
fn deregistered_images_fail_at_launch() {
    let mut c = catalog();
    let id = c.create_template("web", data(1, "m5.large"), "").unwrap();
    c.deregister_image(ImageId::from_u64(1)).unwrap();
    assert_eq!(
        c.launch_spec(id, VersionSpec::Default),
        Err(CatalogError::UnknownImage)
    );
    assert_eq!(
        c.deregister_image(ImageId::from_u64(1)),
        Err(CatalogError::UnknownImage)
    );
}

#[test]
fn capacities_are_errors_and_leave_the_catalog_unchanged() {
    let mut c = catalog();
    assert_eq!(
        c.register_image(image(3, RootDeviceType::Ebs)),
        Err(CatalogError::Full {
            table: "images",
            capacity: 2
        })
    );
    assert_eq!(
        c.register_image(image(1, RootDeviceType::Ebs)),
        Err(CatalogError::DuplicateImage)
    );
    assert_eq!(c.images().count(), 2);
    c.create_template("a-template", data(1, "m5.large"), "")
        .unwrap();
    c.create_template("b-template", data(1, "m5.large"), "")
        .unwrap();
    let e = c
        .create_template("c-template", data(1, "m5.large"), "")
        .unwrap_err();
    assert_eq!(
        e,
        CatalogError::Full {
            table: "templates",
            capacity: 2
        }
    );
    assert_eq!((e.code(), e.kind()), (1414, ErrorKind::CapacityExceeded));
    assert_eq!(e.to_string(), "the catalog holds at most 2 templates");
}

#[test]
fn custom_instance_types_sit_beside_the_builtin_table() {
    let mut c = catalog();
    let board = InstanceType::custom("pi4.board", Category::GeneralPurpose, 4, 8192).unwrap();
    c.add_instance_type(board.clone()).unwrap();
    assert_eq!(c.instance_type("pi4.board"), Ok(board.clone()));
    assert_eq!(
        c.add_instance_type(board),
        Err(CatalogError::DuplicateInstanceType)
    );
    let shadow = InstanceType::custom("m5.large", Category::GeneralPurpose, 4, 8192).unwrap();
    assert_eq!(
        c.add_instance_type(shadow),
        Err(CatalogError::DuplicateInstanceType)
    );
    let mut zero = InstanceType::custom("jetson.nano", Category::Accelerated, 4, 4096).unwrap();
    zero.ipv4_per_eni = 0;
    assert!(matches!(
        c.add_instance_type(zero),
        Err(CatalogError::OutOfRange { .. })
    ));
    assert_eq!(c.custom_types().count(), 1);
    let id = c
        .create_template("boards", data(1, "pi4.board"), "")
        .unwrap();
    assert_eq!(
        c.launch_spec(id, VersionSpec::Latest)
            .unwrap()
            .instance_type
            .as_str(),
        "pi4.board"
    );
    assert_eq!(c.instance_type("m5.large").unwrap().vcpus, 2);
}

#[test]
fn template_ids_are_deterministic_per_seed() {
    let mut a = catalog();
    let mut b = catalog();
    let ia = a.create_template("web", data(1, "m5.large"), "").unwrap();
    let ib = b.create_template("web", data(1, "m5.large"), "").unwrap();
    assert_eq!(ia, ib);
    assert!(ia.to_string().starts_with("lt-0"));
}

/// Image 7, `arm64`.
fn arm_image() -> Image {
    Image::new(
        ImageId::from_u64(7),
        "arm-image",
        Architecture::Arm64,
        RootDeviceType::Ebs,
        BootMode::Uefi,
        "",
    )
    .unwrap()
}

/// A template `name` whose versions check the image against the type, as `RunInstances`
/// does (SEMANTICS §7): the `arm64` image on `x86_type` is refused with EC2's
/// `InvalidParameterValue` text (version 1; the error is returned), on `arm_type` it launches
/// (2), and the `x86_64` image on `arm_type` is refused (3).
fn refused_both_ways(
    c: &mut Catalog<4, 3, 2, 4>,
    name: &str,
    x86_type: &str,
    arm_type: &str,
) -> CatalogError {
    let id = c.create_template(name, data(7, x86_type), "").unwrap();
    let e = c.launch_spec(id, VersionSpec::Latest).unwrap_err();
    assert_eq!(
        e,
        CatalogError::ArchitectureMismatch {
            instance_type: Architecture::X86_64,
            image: Architecture::Arm64
        }
    );
    assert_eq!(
        e.to_string(),
        "The architecture 'x86_64' of the specified instance type does not match the \
         architecture 'arm64' of the specified AMI. Specify an instance type and an AMI that \
         have matching architectures, and try again."
    );
    assert_eq!(c.create_template_version(id, data(7, arm_type), ""), Ok(2));
    assert!(c.launch_spec(id, VersionSpec::Latest).is_ok());
    assert_eq!(c.launch_spec(id, VersionSpec::Number(1)), Err(e));
    assert_eq!(c.create_template_version(id, data(1, arm_type), ""), Ok(3));
    assert_eq!(
        c.launch_spec(id, VersionSpec::Latest),
        Err(CatalogError::ArchitectureMismatch {
            instance_type: Architecture::Arm64,
            image: Architecture::X86_64
        })
    );
    e
}

#[test]
fn an_image_runs_only_on_types_of_its_architecture() {
    let mut c = Catalog::<4, 3, 2, 4>::new(11);
    c.register_image(image(1, RootDeviceType::Ebs)).unwrap();
    c.register_image(arm_image()).unwrap();
    // Graviton families (m6g, t4g) are arm64, m5 x86_64.
    let e = refused_both_ways(&mut c, "web", "m5.large", "m6g.large");
    assert_eq!(e.code(), 1416);
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let burst = c
        .create_template("burst", data(1, "t4g.micro"), "")
        .unwrap();
    assert!(c.launch_spec(burst, VersionSpec::Latest).is_err());
}

/// A custom type states its architecture, or takes its name's (`x86_64` for a name that is
/// not an EC2 family), and a launch checks the image against it as against a built-in type:
/// an `arm64` AMI on an `x86_64` board is refused with EC2's message (SEMANTICS §7).
#[test]
fn a_custom_type_checks_the_image_architecture() {
    let mut c = Catalog::<4, 3, 2, 4>::new(11);
    c.register_image(arm_image()).unwrap();
    c.register_image(image(1, RootDeviceType::Ebs)).unwrap();
    let board = InstanceType::custom("pi4.board", Category::GeneralPurpose, 4, 8192).unwrap();
    assert_eq!(board.architecture, Architecture::X86_64);
    c.add_instance_type(board).unwrap();
    let mut arm_board =
        InstanceType::custom("pi5.board", Category::GeneralPurpose, 4, 8192).unwrap();
    arm_board.architecture = Architecture::Arm64;
    c.add_instance_type(arm_board).unwrap();
    refused_both_ways(&mut c, "boards", "pi4.board", "pi5.board");
    // The x86_64 image runs on the x86_64 board.
    let x86 = c
        .create_template("x86-boards", data(1, "pi4.board"), "")
        .unwrap();
    assert!(c.launch_spec(x86, VersionSpec::Latest).is_ok());
    // A custom name in a Graviton-like family takes arm64 from it, as EC2 names families.
    let named = InstanceType::custom("x9g.board", Category::GeneralPurpose, 1, 1).unwrap();
    assert_eq!(named.architecture, Architecture::Arm64);
    // i386 runs only on the older x86 families EC2 lists, not on an x86_64 board.
    assert!(
        !c.instance_type("pi4.board")
            .unwrap()
            .runs(Architecture::I386)
    );
    assert!(
        c.instance_type("t2.micro")
            .unwrap()
            .runs(Architecture::I386)
    );
}

#[test]
fn type_names_tell_their_architecture() {
    for (ty, arch) in [
        ("m5.large", Architecture::X86_64),
        ("c5n.9xlarge", Architecture::X86_64),
        ("g5.xlarge", Architecture::X86_64),
        ("inf2.xlarge", Architecture::X86_64),
        ("u-6tb1.metal", Architecture::X86_64),
        ("m6g.large", Architecture::Arm64),
        ("m6gd.large", Architecture::Arm64),
        ("c7gn.large", Architecture::Arm64),
        ("g5g.xlarge", Architecture::Arm64),
        ("is4gen.large", Architecture::Arm64),
        ("a1.medium", Architecture::Arm64),
        ("mac1.metal", Architecture::X86_64Mac),
        ("mac2.metal", Architecture::Arm64Mac),
        ("mac2-m2pro.metal", Architecture::Arm64Mac),
    ] {
        assert_eq!(TypeName::parse(ty).unwrap().architecture(), arch, "{ty}");
    }
    let t2 = TypeName::parse("t2.micro").unwrap();
    assert!(t2.runs(Architecture::I386) && t2.runs(Architecture::X86_64));
    assert!(!t2.runs(Architecture::Arm64));
    let m5 = TypeName::parse("m5.large").unwrap();
    assert!(!m5.runs(Architecture::I386));
    assert!(TypeName::parse("m5.metal").unwrap().is_bare_metal());
    assert!(TypeName::parse("c7i.metal-24xl").unwrap().is_bare_metal());
    assert!(!m5.is_bare_metal());
}
