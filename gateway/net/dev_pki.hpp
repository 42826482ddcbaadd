// Development PKI for the quick start: a private CA and one leaf certificate for the demo
// local domains. Owned by gw_net; blocking file I/O, call it at start-up before any executor.
// Leaf: DNS-only subjectAltNames (no XmppAddr: ejabberd 23.01 crashes on it), EKU serverAuth +
// clientAuth (RFC 5280 §4.2.1.12; Kamailio and Microsoft peers need clientAuth), 1-year validity.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct DevPki {
  std::filesystem::path ca_cert, ca_key, cert, key;
};

// Creates dir (mode 0700) with ca.pem, ca.key, node.pem, node.key (keys mode 0600), or reuses
// them when they are present, chain-valid, not expiring within 7 days and cover every name.
// An existing CA that is still valid is kept; only the leaf is re-issued then.
result<DevPki> ensure_dev_pki(const std::filesystem::path& dir,
                              const std::vector<std::string>& dns_names);

}  // namespace fedgate::gateway
