// Notifier's compact form between events (the dialog encoded, the endpoint and Event
// interned) and its persisted form "N1" (serialize / restore): after a restart the node keeps
// notifying in the same dialog.
#include <utility>

#include "gateway/base/bug.hpp"
#include "sip/dialog/field_codec.hpp"
#include "sip/dialog/interned.hpp"
#include "sip/dialog/notifier_parts.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kVersion = "N1";
using WallTime = std::chrono::system_clock::time_point;

std::optional<SubState> state_from(std::string_view code) {
  if (code == "p") return SubState::pending;
  if (code == "a") return SubState::active;
  if (code == "t") return SubState::terminated;
  return std::nullopt;
}

// "bpP": ms-benotify offered, ms-piggyback-first-notify offered, first NOTIFY piggy-backed.
std::string options(bool benotify, bool piggyback, bool piggybacked) {
  return std::string{benotify ? "b" : ""} + (piggyback ? "p" : "") + (piggybacked ? "P" : "");
}

}  // namespace

Notifier::Notifier(std::shared_ptr<const Shared> shared, Dialog dialog)
    : shared_(std::move(shared)), working_(std::make_unique<Dialog>(std::move(dialog))) {
  settle(true);
}

Notifier::Notifier(const Notifier& other)
    : shared_(other.shared_),
      working_(other.working_ ? std::make_unique<Dialog>(*other.working_) : nullptr),
      packed_(other.packed_),
      expires_at_(other.expires_at_),
      state_(other.state_),
      benotify_ok_(other.benotify_ok_),
      piggyback_ok_(other.piggyback_ok_),
      piggybacked_(other.piggybacked_),
      changed_(other.changed_),
      durable_revision_(other.durable_revision_) {}

Notifier::Notifier(Notifier&& other) noexcept = default;
Notifier& Notifier::operator=(Notifier&& other) noexcept = default;
Notifier::~Notifier() = default;

Notifier& Notifier::operator=(const Notifier& other) {
  if (this != &other) {
    *this = Notifier{other};
  }
  return *this;
}

Dialog& Notifier::work() const {
  if (!working_) {
    std::string_view in = packed_;
    auto d = Dialog::decode(in, &shared_->local.contact);
    if (!d) {
      FEDGATE_BUG("sip.notifier.packed_dialog_corrupt");
    }
    working_ = std::make_unique<Dialog>(d ? std::move(*d) : Dialog{});
  }
  return *working_;
}

// After an event the working form stays (the next NOTIFY a moment later needs it again);
// the owner's compact() encodes it. The stale packed form is released at once.
void Notifier::settle(bool durable) {
  if (durable) {
    ++durable_revision_;
  }
  if (working_ && !changed_) {
    changed_ = true;
    std::string{}.swap(packed_);
  }
}

void Notifier::compact() const {
  if (!working_) {
    return;
  }
  if (changed_) {
    std::string packed;
    working_->encode(packed, &shared_->local.contact);
    packed.shrink_to_fit();  // appending left up to twice the capacity; idle memory counts
    packed_ = std::move(packed);
    changed_ = false;
  }
  working_.reset();
}

const Dialog& Notifier::dialog() const { return work(); }

DialogId Notifier::dialog_id() const {
  if (working_) {
    return working_->id();
  }
  auto id = Dialog::decode_id(packed_);
  return id ? std::move(*id) : DialogId{};
}

std::string Notifier::serialize(TimePoint now, WallTime wall_now) const {
  std::string out;
  fields::put(out, kVersion);
  fields::put(out, to_string(state_).substr(0, 1));
  fields::put(out, options(benotify_ok_, piggyback_ok_, piggybacked_));
  const auto wall = wall_now + std::chrono::duration_cast<WallTime::duration>(expires_at_ - now);
  fields::put_number(
      out, std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count());
  fields::put(out, shared_->event.package);
  fields::put(out, shared_->event.id().value_or(""));
  work().encode(out, &shared_->local.contact);
  return out;
}

result<Notifier> Notifier::restore(std::string_view data, LocalEndpoint local,
                                   std::uint32_t max_expires, TimePoint now, WallTime wall_now) {
  const auto version = fields::take(data);
  const auto state = fields::take(data);
  const auto opts = fields::take(data);
  const auto expires = fields::take_number<std::int64_t>(data);
  const auto package = fields::take(data);
  const auto event_id = fields::take(data);
  if (!version || *version != kVersion || !state || !state_from(*state) || !opts || !expires ||
      !package || package->empty() || !event_id) {
    return make_error_code(DialogErrc::corrupt_state);
  }
  EventHeader event{std::string(*package), {}};
  if (!event_id->empty()) {
    set_param(event.params, "id", std::string(*event_id));
  }
  Shared shared{std::move(local), std::move(event), max_expires};
  auto d = Dialog::decode(data, &shared.local.contact);
  if (!d || !data.empty()) {
    return make_error_code(DialogErrc::corrupt_state);
  }
  d->skip_local_cseq(kRestartCseqGap);  // what was sent after the last write
  Notifier n{intern(std::move(shared)), std::move(*d)};
  n.state_ = *state_from(*state);
  n.benotify_ok_ = opts->find('b') != std::string_view::npos;
  n.piggyback_ok_ = opts->find('p') != std::string_view::npos;
  n.piggybacked_ = opts->find('P') != std::string_view::npos;
  const std::chrono::milliseconds ms{*expires};
  n.expires_at_ =
      now + std::chrono::duration_cast<Duration>(
                WallTime{std::chrono::duration_cast<WallTime::duration>(ms)} - wall_now);
  return n;
}

}  // namespace fedgate::sip
