//! `fleetcore.hpa.Behavior.from_k8s`: the `behavior:` block of an `autoscaling/v2`
//! `HorizontalPodAutoscaler` manifest as written (camelCase keys, as `yaml.safe_load` or
//! `json.load` gives it), with upstream's defaults (`pkg/apis/autoscaling/v2/defaults.go`,
//! `SetDefaults_HorizontalPodAutoscalerBehavior`): a direction left out takes the default
//! rules whole; within a direction, each field left out takes the default's field.

use fleetcore::scaling::Value;
use fleetcore::scaling::hpa::{self, MAX_POLICIES, RatePolicy, ScalingRules};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::errors::{IntoPyResult, to_py_err, value_error};
use crate::hpa::Behavior;
use fleetcore::Duration;
use fleetcore::scaling::ScalingError;

type Rules = ScalingRules<MAX_POLICIES>;

fn dict<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Bound<'py, PyDict>> {
    obj.cast::<PyDict>()
        .cloned()
        .map_err(|_| value_error(format!("{what} must be a mapping")))
}

/// A whole number of seconds (`int32` upstream), refusing booleans and fractions.
fn seconds(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<u64> {
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(value_error(format!("{what} must be an integer")));
    }
    obj.extract::<u64>()
        .map_err(|_| value_error(format!("{what} must be a non-negative integer")))
}

/// A Kubernetes quantity for `tolerance`: a number, or a string such as `"0.05"` or `"50m"`,
/// in thousandths (finer quantities are refused rather than rounded).
fn quantity(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    let bad = || value_error(format!("{what} must be a quantity such as 0.05 or \"50m\""));
    if obj.is_instance_of::<PyString>() {
        let text: String = obj.extract()?;
        let text = text.trim();
        if let Some(milli) = text.strip_suffix('m') {
            let m: i64 = milli.parse().map_err(|_| bad())?;
            return Ok(Value::from_milli(m));
        }
        return parse_decimal(text).ok_or_else(bad);
    }
    if obj.is_instance_of::<pyo3::types::PyBool>() {
        return Err(bad());
    }
    let m: crate::value::Milli = obj.extract().map_err(|_| bad())?;
    Ok(m.0)
}

/// `"0.05"` → 50 thousandths; `None` for anything else or more than three decimals.
fn parse_decimal(text: &str) -> Option<Value> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if (whole.is_empty() && frac.is_empty()) || frac.len() > 3 {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(frac) {
        return None;
    }
    let w: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    for _ in frac.len()..3 {
        f = f.checked_mul(10)?;
    }
    let milli = w.checked_mul(1000)?.checked_add(f)?;
    Some(Value::from_milli(if neg { -milli } else { milli }))
}

fn policy(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<RatePolicy> {
    let d = dict(obj, what)?;
    let (mut kind, mut value, mut period) = (None, None, None);
    for (k, v) in d.iter() {
        let key: String = k.extract()?;
        match key.as_str() {
            "type" => {
                let t: String = v
                    .extract()
                    .map_err(|_| value_error(format!("{what}.type must be a string")))?;
                kind = Some(crate::vocab::parse(&format!("{what}.type"), &t)?);
            }
            "value" => {
                let n = seconds(&v, &format!("{what}.value"))?;
                value = Some(
                    u32::try_from(n).map_err(|_| to_py_err(py, &ScalingError::InvalidBehavior))?,
                );
            }
            "periodSeconds" => period = Some(seconds(&v, &format!("{what}.periodSeconds"))?),
            _ => return Err(value_error(format!("{what}: unknown field {key:?}"))),
        }
    }
    match (kind, value, period) {
        (Some(kind), Some(value), Some(period)) => Ok(RatePolicy {
            kind,
            value,
            period: Duration::from_secs(period),
        }),
        _ => Err(value_error(format!(
            "{what} needs type, value and periodSeconds"
        ))),
    }
}

/// `copyHPAScalingRules`: the fields given replace the default's.
fn rules(py: Python<'_>, obj: &Bound<'_, PyAny>, mut r: Rules, what: &str) -> PyResult<Rules> {
    if obj.is_none() {
        return Ok(r);
    }
    let d = dict(obj, what)?;
    for (k, v) in d.iter() {
        let key: String = k.extract()?;
        if v.is_none() {
            continue; // a null field is a field left out
        }
        match key.as_str() {
            "stabilizationWindowSeconds" => {
                r.stabilization = Duration::from_secs(seconds(
                    &v,
                    &format!("{what}.stabilizationWindowSeconds"),
                )?);
            }
            "selectPolicy" => {
                let t: String = v
                    .extract()
                    .map_err(|_| value_error(format!("{what}.selectPolicy must be a string")))?;
                r.select = crate::vocab::parse(&format!("{what}.selectPolicy"), &t)?;
            }
            "policies" => {
                let list = v
                    .cast::<PyList>()
                    .map_err(|_| value_error(format!("{what}.policies must be a list")))?;
                r.policies.clear();
                for (i, p) in list.iter().enumerate() {
                    let p = policy(py, &p, &format!("{what}.policies[{i}]"))?;
                    r.policies.push(p).map_err(|_| {
                        value_error(format!(
                            "{what}.policies: at most {MAX_POLICIES} policies per direction"
                        ))
                    })?;
                }
            }
            "tolerance" => r.tolerance = Some(quantity(&v, &format!("{what}.tolerance"))?),
            _ => return Err(value_error(format!("{what}: unknown field {key:?}"))),
        }
    }
    Ok(r)
}

/// `Behavior.from_k8s(block)`.
///
/// # Errors
/// `ValueError` for an unknown field or a value of the wrong type; `ScalingError` 1213 for
/// values upstream validation refuses.
pub fn behavior_from_k8s(py: Python<'_>, block: &Bound<'_, PyAny>) -> PyResult<Behavior> {
    let mut scale_up = Rules::default_up();
    let mut scale_down = Rules::default_down();
    if !block.is_none() {
        let d = dict(block, "behavior")?;
        for (k, v) in d.iter() {
            let key: String = k.extract()?;
            match key.as_str() {
                "scaleUp" => scale_up = rules(py, &v, scale_up, "scaleUp")?,
                "scaleDown" => scale_down = rules(py, &v, scale_down, "scaleDown")?,
                _ => {
                    return Err(value_error(format!(
                        "behavior: unknown field {key:?} (expected scaleUp, scaleDown)"
                    )));
                }
            }
        }
    }
    let inner = hpa::Behavior {
        scale_up,
        scale_down,
    };
    inner.validate().py_err(py)?;
    Ok(Behavior { inner })
}

#[cfg(test)]
mod tests {
    use super::parse_decimal;
    use fleetcore::scaling::Value;

    #[test]
    fn decimals_in_thousandths() {
        assert_eq!(parse_decimal("0.05"), Some(Value::from_milli(50)));
        assert_eq!(parse_decimal("1"), Some(Value::from_milli(1000)));
        assert_eq!(parse_decimal(".5"), Some(Value::from_milli(500)));
        assert_eq!(parse_decimal("0.0001"), None);
        assert_eq!(parse_decimal("x"), None);
        assert_eq!(parse_decimal(""), None);
    }
}
