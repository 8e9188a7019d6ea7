package checks

import "github.com/esmdoctor/esmdoctor/resolve"

// regionFrom says where the function's Region came from: the mapping's
// function ARN once the mapping check read it (a fact), else the input
// that gave it (--region, an ARN, the environment: a claim).
func (s *State) regionFrom() string {
	if m := s.Facts.Mapping; m != nil {
		return "the Region of the mapping's function " + m.Mapping.FunctionARN
	}
	if a := s.Cfg.AWS; a != nil && a.RegionFrom != "" {
		return a.RegionFrom
	}
	return resolve.RegionFromDefault
}

// regionClaimed says whether the function's Region is only what an input
// said (--region or the environment), not read from the function itself:
// then that input may be the one to correct.
func (s *State) regionClaimed() bool {
	if s.Facts.Mapping != nil {
		return false
	}
	from := s.regionFrom()
	return from == resolve.RegionFromFlag || from == resolve.RegionFromDefault
}

// otherRegion fills the arguments of a failure for a resource (a secret,
// the cluster) in another Region than the function: both Regions, where
// the function's came from, and, when that was only an input's claim, the
// advice to correct that input first (region_fix).
func otherRegion(s *State, args Args, resourceRegion string) Args {
	args["region"], args["resource_region"], args["region_from"], args["region_fix"] = s.region(), resourceRegion, s.regionFrom(), ""
	if s.regionClaimed() {
		args["region_fix"] = "if the function runs in " + resourceRegion + ", correct " + s.regionFrom() + " (--region " + resourceRegion + "); otherwise "
	}
	return args
}
