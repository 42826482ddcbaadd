// SharedStreamConfig: the StreamConfig new s2s streams start with, replaceable while streams
// run (settings changed live). Owned by S2sConfig (xmpp_net); load/store from any thread or
// strand (an atomic shared_ptr). A stream keeps the snapshot it loaded. RFC 6120 §4, §5.
#pragma once

#include <atomic>
#include <memory>
#include <utility>

#include "xmpp/stream/stream_config.hpp"

namespace fedgate::xmpp {

class SharedStreamConfig {
 public:
  SharedStreamConfig() = default;
  SharedStreamConfig(std::shared_ptr<const StreamConfig> config)  // NOLINT: implicit on purpose
      : current_(std::move(config)) {}
  SharedStreamConfig(const SharedStreamConfig& other) : current_(other.load()) {}
  SharedStreamConfig& operator=(const SharedStreamConfig& other) {
    store(other.load());
    return *this;
  }
  SharedStreamConfig& operator=(std::shared_ptr<const StreamConfig> config) {
    store(std::move(config));
    return *this;
  }

  // The snapshot a stream starting now uses; stays valid for as long as the caller holds it.
  std::shared_ptr<const StreamConfig> load() const { return current_.load(); }
  // Streams started after this call use `config`; established streams keep theirs.
  void store(std::shared_ptr<const StreamConfig> config) { current_.store(std::move(config)); }

 private:
  std::atomic<std::shared_ptr<const StreamConfig>> current_;
};

}  // namespace fedgate::xmpp
