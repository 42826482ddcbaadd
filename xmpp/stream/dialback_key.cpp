#include "xmpp/stream/dialback_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>

namespace fedgate::xmpp {
namespace {

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0x0F];
  }
  return out;
}

}  // namespace

std::string dialback_key(std::string_view secret, std::string_view receiving,
                         std::string_view originating, std::string_view stream_id) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> hashed{};
  SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), hashed.data());
  const std::string hmac_key = to_hex(hashed.data(), hashed.size());
  std::string text;
  text.reserve(receiving.size() + originating.size() + stream_id.size() + 2);
  text.append(receiving).append(" ").append(originating).append(" ").append(stream_id);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), hmac_key.data(), static_cast<int>(hmac_key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac.data(), &mac_len);
  return to_hex(mac.data(), mac_len);
}

bool dialback_key_matches(std::string_view key, std::string_view secret, std::string_view receiving,
                          std::string_view originating, std::string_view stream_id) {
  const std::string expected = dialback_key(secret, receiving, originating, stream_id);
  return key.size() == expected.size() &&
         CRYPTO_memcmp(key.data(), expected.data(), key.size()) == 0;
}

}  // namespace fedgate::xmpp
