package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emicklei/proto"
)

// msgType is one message type of a schema, reduced to what decoding a
// record needs: its fields by number and its nested types in the order
// the message-index path counts them (nested messages, groups and map
// entries, as declared, like the descriptor's nested_type list).
type msgType struct {
	name     string
	fields   map[int32]*field
	required []*field
	nested   []*msgType
	// needsRequired: this type or a type reachable through its message
	// fields has proto2 required fields (set by markRequired).
	needsRequired bool
}

// schema collects the types of the registry's schema text and of the
// well-known-type files it imports, for name resolution.
type schema struct {
	msgs     map[string]*msgType
	enums    map[string]bool
	packages map[string]bool
	refs     []typeRef
	oneofs   int
}

// typeRef is a field whose type name is resolved once every file is read.
type typeRef struct {
	f     *field
	scope string
}

// errEdition marks an edition other than 2023: its features may change
// how records decode in ways esmdoctor does not model.
var errEdition = errors.New("protobuf editions")

func newSchema() *schema {
	return &schema{msgs: map[string]*msgType{}, enums: map[string]bool{}, packages: map[string]bool{}}
}

// addFile reads one .proto file's text and registers its types; it
// returns the top-level messages (in order) and the files it imports.
func (s *schema) addFile(text string) ([]*msgType, []string, error) {
	def, err := proto.NewParser(strings.NewReader(text)).Parse()
	if err != nil {
		return nil, nil, err
	}
	syn, err := fileFeatures(def)
	if err != nil {
		return nil, nil, err
	}
	s.addPackage(syn.pkg)
	var top []*msgType
	var imports []string
	for _, el := range def.Elements {
		switch el := el.(type) {
		case *proto.Import:
			imports = append(imports, el.Filename)
		case *proto.Message:
			if el.IsExtend {
				continue
			}
			m, err := s.addMessage(el.Name, el.Elements, syn.pkg, syn)
			if err != nil {
				return nil, nil, err
			}
			top = append(top, m)
		case *proto.Enum:
			s.enums[join(syn.pkg, el.Name)] = true
		}
	}
	return top, imports, nil
}

// addPackage registers a package and its prefixes as names a relative
// type reference may start with.
func (s *schema) addPackage(pkg string) {
	for p := pkg; p != ""; p, _ = cutLast(p) {
		s.packages[p] = true
	}
}

// addMessage registers a message type (and, recursively, what it nests).
func (s *schema) addMessage(name string, elements []proto.Visitee, scope string, syn features) (*msgType, error) {
	m := &msgType{name: join(scope, name), fields: map[int32]*field{}}
	if s.msgs[m.name] != nil || s.enums[m.name] {
		return nil, fmt.Errorf("%s is defined twice", m.name)
	}
	s.msgs[m.name] = m
	for _, el := range elements {
		if err := s.addElement(m, el, 0, syn); err != nil {
			return nil, fmt.Errorf("%s: %w", m.name, err)
		}
	}
	return m, nil
}

// addElement adds one element of a message body (oneof is the id of the
// oneof the element sits in, 0 for none).
func (s *schema) addElement(m *msgType, el proto.Visitee, oneof int, syn features) error {
	switch el := el.(type) {
	case *proto.NormalField:
		if el.Required && syn.proto3 {
			return fmt.Errorf("field %s: required fields are not allowed in proto3", el.Name)
		}
		ft := syn.withOptions(el.Options)
		required := el.Required || (ft.required && !el.Repeated && oneof == 0)
		f := &field{name: el.Name, num: int32(el.Sequence), repeated: el.Repeated, required: required, oneof: oneof}
		return s.addField(m, f, el.Type, ft)
	case *proto.OneOfField:
		return s.addField(m, &field{name: el.Name, num: int32(el.Sequence), oneof: oneof}, el.Type, syn.withOptions(el.Options))
	case *proto.MapField:
		return s.addMap(m, el, syn)
	case *proto.Group:
		return s.addGroup(m, el, oneof, syn)
	case *proto.Oneof:
		s.oneofs++
		for _, o := range el.Elements {
			if err := s.addElement(m, o, s.oneofs, syn); err != nil {
				return err
			}
		}
	case *proto.Message:
		if !el.IsExtend {
			n, err := s.addMessage(el.Name, el.Elements, m.name, syn)
			if err != nil {
				return err
			}
			m.nested = append(m.nested, n)
		}
	case *proto.Enum:
		s.enums[join(m.name, el.Name)] = true
	}
	return nil
}

// addField checks a field's number, records its scalar kind or queues
// its type name for resolution, and adds it to m.
func (s *schema) addField(m *msgType, f *field, typ string, syn features) error {
	if f.num < 1 || f.num > maxFieldNumber || (f.num >= 19000 && f.num <= 19999) {
		return fmt.Errorf("field %s: number %d is not a valid field number", f.name, f.num)
	}
	if m.fields[f.num] != nil {
		return fmt.Errorf("field %s: number %d is used twice", f.name, f.num)
	}
	f.utf8, f.delimited = syn.utf8, syn.delimited
	if k, ok := scalarKinds[typ]; ok {
		f.kind = k
	} else if f.msg == nil {
		s.refs = append(s.refs, typeRef{f: f, scope: m.name})
		f.typeName = typ
	}
	m.fields[f.num] = f
	if f.required {
		m.required = append(m.required, f)
	}
	return nil
}

// addMap adds a map field as what it is on the wire: a repeated message
// of a synthesized entry type (key = 1, value = 2), nested in m.
func (s *schema) addMap(m *msgType, el *proto.MapField, syn features) error {
	entry := &msgType{name: join(m.name, camel(el.Name)+"Entry"), fields: map[int32]*field{}}
	ft := syn.withOptions(el.Options)
	ft.delimited = false // a map's values are always length-prefixed
	key := &field{name: "key", num: 1}
	if err := s.addField(entry, key, el.KeyType, ft); err != nil || key.typeName != "" {
		return fmt.Errorf("map %s: key type %s is not a scalar", el.Name, el.KeyType)
	}
	if err := s.addField(entry, &field{name: "value", num: 2}, el.Type, ft); err != nil {
		return err
	}
	m.nested = append(m.nested, entry)
	s.msgs[entry.name] = entry
	f := &field{name: el.Name, num: int32(el.Sequence), kind: kindMessage, repeated: true, isMap: true, msg: entry}
	return s.addField(m, f, "", syn)
}

// addGroup adds a proto2 group: a nested message type, and a field of that
// type delimited by start- and end-group tags instead of a length.
func (s *schema) addGroup(m *msgType, el *proto.Group, oneof int, syn features) error {
	g, err := s.addMessage(el.Name, el.Elements, m.name, syn)
	if err != nil {
		return err
	}
	m.nested = append(m.nested, g)
	f := &field{name: strings.ToLower(el.Name), num: int32(el.Sequence), kind: kindGroup,
		repeated: el.Repeated, required: el.Required, oneof: oneof, msg: g}
	return s.addField(m, f, "", syn)
}

// camel is protoc's map-entry naming: "item_tags" becomes "ItemTags".
func camel(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		switch {
		case r == '_':
			up = true
		case up && r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
			up = false
		default:
			b.WriteRune(r)
			up = false
		}
	}
	return b.String()
}

func join(scope, name string) string {
	if scope == "" {
		return name
	}
	return scope + "." + name
}

// cutLast drops a dotted name's last component ("a.b.c" -> "a.b").
func cutLast(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return "", name != ""
	}
	return name[:i], true
}
