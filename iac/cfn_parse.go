package iac

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxTemplateBytes bounds a CloudFormation template (CloudFormation's own
// limit for a template in S3 is 1 MB).
const MaxTemplateBytes = 4 << 20

// parseTemplate reads a template in JSON or YAML into plain values (maps,
// lists, strings, numbers, booleans), YAML's short-form intrinsic tags
// (!Ref, !GetAtt, !Sub...) turned into their long JSON form.
func parseTemplate(data []byte) (map[string]any, error) {
	if len(data) > MaxTemplateBytes {
		return nil, fmt.Errorf("template of %d bytes exceeds %d", len(data), MaxTemplateBytes)
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var out map[string]any
		if err := json.Unmarshal(t, &out); err != nil {
			return nil, fmt.Errorf("template is not valid JSON: %w", err)
		}
		return out, nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("template is not valid YAML: %w", err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("template is empty")
	}
	budget := maxNodes
	v, err := fromNode(root.Content[0], 0, &budget)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("template is not a mapping")
	}
	return m, nil
}

// maxDepth bounds nesting, and maxNodes the values built: YAML aliases can
// expand a small document exponentially ("billion laughs").
const (
	maxDepth = 64
	maxNodes = 200000
)

// fromNode converts a YAML node, expanding short-form intrinsic tags.
func fromNode(n *yaml.Node, depth int, budget *int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("template nests deeper than %d levels", maxDepth)
	}
	if *budget--; *budget < 0 {
		return nil, fmt.Errorf("template expands to more than %d values (YAML aliases)", maxNodes)
	}
	v, err := plain(n, depth, budget)
	if err != nil {
		return nil, err
	}
	if name, ok := intrinsicTag(n.Tag); ok {
		if name == "Fn::GetAtt" {
			if s, ok := v.(string); ok {
				a, b, _ := strings.Cut(s, ".")
				v = []any{a, b}
			}
		}
		return map[string]any{name: v}, nil
	}
	return v, nil
}

// plain converts a node's content, ignoring its tag.
func plain(n *yaml.Node, depth int, budget *int) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return fromNode(n.Alias, depth+1, budget)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := fromNode(c, depth+1, budget)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := fromNode(n.Content[i+1], depth+1, budget)
			if err != nil {
				return nil, err
			}
			out[n.Content[i].Value] = v
		}
		return out, nil
	}
	var v any
	if _, ok := intrinsicTag(n.Tag); ok || n.Tag == "!!str" {
		return n.Value, nil
	}
	if err := n.Decode(&v); err != nil {
		return n.Value, nil
	}
	return v, nil
}

// intrinsicTag maps a short-form tag to its function name.
func intrinsicTag(tag string) (string, bool) {
	if !strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "!!") {
		return "", false
	}
	name := tag[1:]
	switch name {
	case "Ref", "Condition":
		return name, true
	}
	return "Fn::" + name, true
}
