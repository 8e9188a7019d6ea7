package filters

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// numRange is a numeric condition: optional lower and upper bounds.
type numRange struct {
	lo, hi       float64
	loInc, hiInc bool
}

// contains reports whether n lies inside the range.
func (r numRange) contains(n json.Number) bool {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return false
	}
	if f < r.lo || (f == r.lo && !r.loInc) {
		return false
	}
	return f < r.hi || (f == r.hi && r.hiInc)
}

// numEqual compares two JSON numbers numerically.
func numEqual(a, b json.Number) bool {
	fa, ea := strconv.ParseFloat(string(a), 64)
	fb, eb := strconv.ParseFloat(string(b), 64)
	return ea == nil && eb == nil && fa == fb
}

// compileNumeric compiles ["=", n] or one or two [op, n] bounds
// (a lower bound before an upper one).
func compileNumeric(arg any) (numRange, error) {
	arr, ok := arg.([]any)
	r := numRange{lo: math.Inf(-1), hi: math.Inf(1), loInc: true, hiInc: true}
	if !ok || (len(arr) != 2 && len(arr) != 4) {
		return r, errors.New("numeric takes [op, n] or [op, n, op, n]")
	}
	var haveLo, haveHi bool
	for i := 0; i < len(arr); i += 2 {
		op, ok1 := arr[i].(string)
		n, ok2 := arr[i+1].(json.Number)
		if !ok1 || !ok2 {
			return r, errors.New("numeric takes operator strings and numbers")
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return r, errors.New("numeric: bad number")
		}
		switch op {
		case "=":
			if len(arr) != 2 {
				return r, errors.New("numeric '=' stands alone")
			}
			r.lo, r.hi = f, f
			return r, nil
		case ">", ">=":
			if haveLo || haveHi {
				return r, errors.New("numeric: the lower bound comes first, once")
			}
			r.lo, r.loInc, haveLo = f, op == ">=", true
		case "<", "<=":
			if haveHi {
				return r, errors.New("numeric: one upper bound")
			}
			r.hi, r.hiInc, haveHi = f, op == "<=", true
		default:
			return r, errors.New("numeric: unknown operator " + strconv.Quote(op))
		}
	}
	if r.lo > r.hi {
		return r, errors.New("numeric: empty range")
	}
	return r, nil
}
