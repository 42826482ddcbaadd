// The TLS peer-subject allow-list (policy table tls_peer_subjects) as the transport's
// SubjectFilter: a chain-verified peer may connect when its certificate carries one of the
// listed DNS names (subjectAltName dNSName, else the CN). Owned by the Node; any thread.
#pragma once

#include <vector>

#include "presence/policy_rows.hpp"
#include "sip/transport/transport_config.hpp"

namespace fedgate::sip {

// An empty list allows every chain-verified peer (no filter).
SubjectFilter subject_filter(std::vector<presence::TlsPeerSubjectRow> rows);

}  // namespace fedgate::sip
