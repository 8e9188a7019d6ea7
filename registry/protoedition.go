package registry

import (
	"fmt"

	"github.com/emicklei/proto"
)

// features is what a file's syntax or edition, and an edition's feature
// options (on the file or on a field: the only targets of the features
// that change decoding), say about decoding a field.
type features struct {
	pkg       string
	proto3    bool // syntax = "proto3": no required fields
	edition   bool // edition = "2023": feature options apply
	utf8      bool // strings must be valid UTF-8 (proto3; editions by default)
	delimited bool // editions: message fields are written as groups
	required  bool // editions: field_presence = LEGACY_REQUIRED
}

// fileFeatures reads a file's syntax or edition, package and file-level
// feature options (wherever they stand in the file). A file without either
// statement is proto2. Only edition 2023 is read; another is errEdition.
func fileFeatures(def *proto.Proto) (features, error) {
	ft := features{}
	var opts []*proto.Option
	for _, el := range def.Elements {
		switch el := el.(type) {
		case *proto.Syntax:
			if el.Value != "proto2" && el.Value != "proto3" {
				return ft, fmt.Errorf("unknown syntax %q", el.Value)
			}
			ft.proto3, ft.utf8 = el.Value == "proto3", el.Value == "proto3"
		case *proto.Edition:
			if el.Value != "2023" {
				return ft, fmt.Errorf("edition %q: %w", el.Value, errEdition)
			}
			ft.edition, ft.utf8 = true, true
		case *proto.Package:
			ft.pkg = el.Name
		case *proto.Option:
			opts = append(opts, el)
		}
	}
	return ft.withOptions(opts), nil
}

// withOptions applies an edition file's feature options (file or field
// level) to ft; outside editions they do not exist and are ignored.
func (ft features) withOptions(opts []*proto.Option) features {
	if !ft.edition {
		return ft
	}
	for _, o := range opts {
		switch v := o.Constant.Source; o.Name {
		case "features.utf8_validation":
			ft.utf8 = v != "NONE"
		case "features.message_encoding":
			ft.delimited = v == "DELIMITED"
		case "features.field_presence":
			ft.required = v == "LEGACY_REQUIRED"
		}
	}
	return ft
}
