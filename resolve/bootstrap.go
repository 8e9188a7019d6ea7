package resolve

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// HostPort is one bootstrap server as written by the user.
type HostPort struct {
	Host string
	Port int
}

// String renders host:port, bracketing IPv6 literals.
func (h HostPort) String() string { return net.JoinHostPort(h.Host, strconv.Itoa(h.Port)) }

// ParseBootstrap parses a KAFKA_BOOTSTRAP_SERVERS list: comma-separated
// host:port entries, IPv6 literals in brackets. Every entry needs a port
// (the mapping has no default either), entries must not repeat.
func ParseBootstrap(flag string, list []string) ([]HostPort, error) {
	var out []HostPort
	seen := map[string]bool{}
	for _, item := range list {
		for _, raw := range strings.Split(item, ",") {
			entry := strings.TrimSpace(raw)
			if entry == "" {
				return nil, &InputError{Input: flag, Value: strings.Join(list, ","), Msg: "empty entry in the broker list"}
			}
			hp, err := parseHostPort(entry)
			if err != nil {
				return nil, &InputError{Input: flag, Value: entry, Msg: err.Error()}
			}
			key := strings.ToLower(hp.String())
			if seen[key] {
				return nil, &InputError{Input: flag, Value: entry, Msg: "listed twice"}
			}
			seen[key] = true
			out = append(out, hp)
		}
	}
	if len(out) == 0 {
		return nil, &InputError{Input: flag, Msg: "no bootstrap servers given"}
	}
	return out, nil
}

// isHostname: 1 to 253 letters, digits, '-', '_' and '.', as DNS names are
// written in a bootstrap list (IDNs in their punycode form).
func isHostname(h string) bool { return len(h) >= 1 && len(h) <= 253 && onlyNameChars(h) }

// checkHost accepts an IP address (IPv6 only in brackets) or a hostname.
func checkHost(host string, bracketed bool) error {
	if ip, err := netip.ParseAddr(host); err == nil {
		if bracketed && !ip.Is6() {
			return fmt.Errorf("brackets are for IPv6 addresses only")
		}
		return nil
	}
	if bracketed {
		return fmt.Errorf("%q in brackets is not an IPv6 address", host)
	}
	if !isHostname(host) {
		return fmt.Errorf("not a hostname or IP address (letters, digits, '-', '_' and '.'; IDNs in punycode)")
	}
	return nil
}

func parseHostPort(entry string) (HostPort, error) {
	if listedWithoutCommas(entry) {
		return HostPort{}, fmt.Errorf("separate servers with commas, as in b-1:9092,b-2:9092 (not with ';' or spaces)")
	}
	if strings.Contains(entry, "://") {
		return HostPort{}, fmt.Errorf("drop the scheme: the mapping takes host:port")
	}
	if strings.Count(entry, ":") > 1 && !strings.HasPrefix(entry, "[") {
		return HostPort{}, fmt.Errorf("IPv6 addresses need brackets, as in [2001:db8::1]:9092")
	}
	host, portStr, err := net.SplitHostPort(entry)
	if err != nil {
		return HostPort{}, fmt.Errorf("want host:port (for example b-1.example.com:9096)")
	}
	if host == "" {
		return HostPort{}, fmt.Errorf("missing host")
	}
	if err := checkHost(host, strings.HasPrefix(entry, "[")); err != nil {
		return HostPort{}, err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 1 || port > 65535 {
		return HostPort{}, fmt.Errorf("port must be a number from 1 to 65535")
	}
	if portStr != strconv.Itoa(port) {
		return HostPort{}, fmt.Errorf("port %q: write it as %d (no sign, no leading zeros)", portStr, port)
	}
	return HostPort{Host: host, Port: port}, nil
}

// listedWithoutCommas: several host:port entries separated by ';' or
// white space instead of commas.
func listedWithoutCommas(entry string) bool {
	parts := strings.FieldsFunc(entry, func(r rune) bool { return r == ';' || r == ' ' || r == '\t' })
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if !strings.Contains(p, ":") {
			return false
		}
	}
	return true
}
