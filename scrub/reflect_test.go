package scrub

import (
	"reflect"
	"strings"
	"testing"

	"github.com/esmdoctor/esmdoctor/model"
	"github.com/esmdoctor/esmdoctor/redact"
)

const planted = "pw-Cn4ry\x1b[2J"

// fill sets every string, []string and map[string]string field reachable
// from v to the planted value.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(planted)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{planted}).Convert(v.Type()))
		}
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf(map[string]string{"k": planted}))
		}
	}
}

// dirty lists the strings reachable from v that still hold the secret or
// a raw escape.
func dirty(v reflect.Value, path string) []string {
	var out []string
	switch v.Kind() {
	case reflect.String:
		if strings.Contains(v.String(), "Cn4ry") || strings.Contains(v.String(), "\x1b") {
			out = append(out, path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out = append(out, dirty(v.Field(i), path+"."+v.Type().Field(i).Name)...)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			out = append(out, dirty(v.Index(i), path+"[]")...)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			out = append(out, dirty(v.MapIndex(k), path+"["+k.String()+"]")...)
		}
	}
	return out
}

// TestEveryStringIsScrubbed fills every string field of a report, its
// target and a result (so a field added to the model later is covered)
// and checks the pass leaves none holding the secret or an escape.
func TestEveryStringIsScrubbed(t *testing.T) {
	var r model.Report
	fill(reflect.ValueOf(&r).Elem())
	var c model.Result
	fill(reflect.ValueOf(&c).Elem())
	c.Status = model.Fail
	r.Results = []model.Result{c}
	got := New(redact.New("pw-Cn4ry")).Report(&r)
	if bad := dirty(reflect.ValueOf(*got), "Report"); len(bad) > 0 {
		t.Fatalf("not scrubbed: %v", bad)
	}
}
