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
        Architecture::Arm64,
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
