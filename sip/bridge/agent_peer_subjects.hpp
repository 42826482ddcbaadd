// The TLS peer-subject allow-list (policy table tls_peer_subjects) as the transport's
// SubjectFilter: a chain-verified peer may connect when its certificate carries one of the
// listed DNS names (subjectAltName dNSName, else the CN). Owned by the Node; any thread.
#pragma once

#include <string>
#include <vector>

#include "sip/transport/transport_config.hpp"

namespace fedgate::sip {

// `subjects`: the DNS names of table tls_peer_subjects (the node copies them; sip_net may not
// see the policy tables, STYLE.md B1). An empty list allows every chain-verified peer.
SubjectFilter subject_filter(std::vector<std::string> subjects);

}  // namespace fedgate::sip
