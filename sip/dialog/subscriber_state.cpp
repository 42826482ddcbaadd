// Subscriber's compact idle form (the dialog encoded, the configuration interned) and its
// persisted form "S1" (serialize / restore), so a refresh after a restart continues the dialog.
#include <utility>

#include "gateway/base/bug.hpp"
#include "sip/dialog/field_codec.hpp"
#include "sip/dialog/interned.hpp"
#include "sip/dialog/subscriber_parts.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kVersion = "S1";
using WallTime = std::chrono::system_clock::time_point;

std::int64_t to_wall_ms(TimePoint t, TimePoint now, WallTime wall_now) {
  const auto wall = wall_now + std::chrono::duration_cast<WallTime::duration>(t - now);
  return std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count();
}

TimePoint from_wall_ms(std::int64_t ms, TimePoint now, WallTime wall_now) {
  const WallTime wall{
      std::chrono::duration_cast<WallTime::duration>(std::chrono::milliseconds{ms})};
  return now + std::chrono::duration_cast<Duration>(wall - wall_now);
}

char state_code(SubState s) { return to_string(s).front(); }  // p, a, t

std::optional<SubState> state_from(std::string_view code) {
  if (code == "p") return SubState::pending;
  if (code == "a") return SubState::active;
  if (code == "t") return SubState::terminated;
  return std::nullopt;
}

}  // namespace

Subscriber::Subscriber(SubscribeParams params)
    : shared_(intern(Shared{std::move(params.event), std::move(params.accept),
                            std::move(params.supported), params.expires, std::move(params.local)})),
      working_(std::make_unique<Working>()) {
  working_->target = std::move(params.target);
  working_->from = std::move(params.from);
  working_->to = std::move(params.to);
  working_->call_id = std::move(params.call_id);
}

Subscriber::Subscriber(const Subscriber& other)
    : shared_(other.shared_),
      working_(other.working_ ? std::make_unique<Working>(*other.working_) : nullptr),
      packed_(other.packed_),
      changed_(other.changed_),
      durable_revision_(other.durable_revision_),
      refresh_at_(other.refresh_at_),
      expires_at_(other.expires_at_),
      state_(other.state_),
      ended_(other.ended_) {}

Subscriber::Subscriber(Subscriber&& other) noexcept = default;
Subscriber& Subscriber::operator=(Subscriber&& other) noexcept = default;
Subscriber::~Subscriber() = default;

Subscriber& Subscriber::operator=(const Subscriber& other) {
  if (this != &other) {
    *this = Subscriber{other};
  }
  return *this;
}

Subscriber::Working& Subscriber::work() const {
  if (!working_) {
    working_ = std::make_unique<Working>();
    std::string_view in = packed_;
    if (packed_.empty()) {
      return *working_;  // a moved-from usage
    }
    if (auto d = Dialog::decode(in, &shared_->local.contact)) {
      working_->dialog = std::move(*d);
    } else {
      FEDGATE_BUG("sip.subscriber.packed_dialog_corrupt");
    }
  }
  return *working_;
}

// After an event the working form stays (the next NOTIFY a moment later needs it again);
// the owner's compact() encodes it. The stale packed form is released at once.
void Subscriber::settle(bool durable) {
  if (durable) {
    ++durable_revision_;
  }
  if (working_ && working_->dialog && !changed_) {
    changed_ = true;
    std::string{}.swap(packed_);
  }
}

void Subscriber::compact() const {
  if (!working_ || !working_->dialog || working_->initial) {
    return;  // no dialog yet, or our initial SUBSCRIBE is still outstanding
  }
  if (changed_) {
    std::string packed;
    working_->dialog->encode(packed, &shared_->local.contact);
    packed.shrink_to_fit();  // appending left up to twice the capacity; idle memory counts
    packed_ = std::move(packed);
    changed_ = false;
  }
  working_.reset();
}

bool Subscriber::has_dialog() const {
  return working_ ? working_->dialog.has_value() : !packed_.empty();
}

const Dialog& Subscriber::dialog() const { return *work().dialog; }

DialogId Subscriber::dialog_id() const {
  if (working_ && working_->dialog) {
    return working_->dialog->id();
  }
  auto id = Dialog::decode_id(packed_);
  return id ? std::move(*id) : DialogId{};
}

const std::string& Subscriber::event_package() const { return shared_->event.package; }
const std::vector<std::string>& Subscriber::accept() const { return shared_->accept; }
const std::vector<std::string>& Subscriber::supported() const { return shared_->supported; }

std::string Subscriber::serialize(TimePoint now, WallTime wall_now) const {
  if (!has_dialog()) {
    return {};
  }
  std::string out;
  fields::put(out, kVersion);
  fields::put(out, std::string(1, state_code(state_)));
  fields::put(out, ended_ ? "1" : "0");
  fields::put_number(out, to_wall_ms(expires_at_, now, wall_now));
  fields::put_number(out, to_wall_ms(refresh_at_, now, wall_now));
  work().dialog->encode(out, &shared_->local.contact);
  return out;
}

result<Subscriber> Subscriber::restore(std::string_view data, SubscribeParams config, TimePoint now,
                                       WallTime wall_now) {
  const auto version = fields::take(data);
  const auto state = fields::take(data);
  const auto ended = fields::take(data);
  const auto expires = fields::take_number<std::int64_t>(data);
  const auto refresh = fields::take_number<std::int64_t>(data);
  if (!version || *version != kVersion || !state || !state_from(*state) || !ended || !expires ||
      !refresh) {
    return make_error_code(DialogErrc::corrupt_state);
  }
  Subscriber s{std::move(config)};
  auto d = Dialog::decode(data, &s.shared_->local.contact);
  if (!d || !data.empty()) {
    return make_error_code(DialogErrc::corrupt_state);
  }
  d->skip_local_cseq(kRestartCseqGap);  // what was sent after the last write
  s.working_->dialog = std::move(*d);
  s.state_ = *state_from(*state);
  s.ended_ = *ended == "1";
  s.expires_at_ = from_wall_ms(*expires, now, wall_now);
  s.refresh_at_ = from_wall_ms(*refresh, now, wall_now);
  s.settle(true);
  return s;
}

}  // namespace fedgate::sip
