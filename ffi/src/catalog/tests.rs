use super::*;

#[test]
fn sizes() {
    println!(
        "CatalogCell: {} bytes (FC_CATALOG_SIZE {})",
        size_of::<CatalogCell>(),
        FC_CATALOG_SIZE
    );
    println!("fc_launch_spec: {} bytes", size_of::<fc_launch_spec>());
}
