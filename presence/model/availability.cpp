// Names and ranks of Availability values.
#include "presence/model/availability.hpp"

#include <array>
#include <utility>

namespace fedgate::presence {
namespace {

constexpr std::array<std::pair<Availability, std::string_view>, 9> kNames{{
    {Availability::available, "available"},
    {Availability::chat, "chat"},
    {Availability::inactive, "inactive"},
    {Availability::busy, "busy"},
    {Availability::dnd, "dnd"},
    {Availability::be_right_back, "be_right_back"},
    {Availability::away, "away"},
    {Availability::xa, "xa"},
    {Availability::offline, "offline"},
}};

}  // namespace

std::string_view to_string(Availability a) noexcept {
  for (const auto& [value, name] : kNames) {
    if (value == a) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Availability> availability_from_string(std::string_view s) noexcept {
  for (const auto& [value, name] : kNames) {
    if (name == s) {
      return value;
    }
  }
  return std::nullopt;
}

int availability_rank(Availability a) noexcept {
  switch (a) {
    case Availability::available:
    case Availability::chat:
      return 0;
    case Availability::inactive:
      return 1;
    case Availability::busy:
      return 2;
    case Availability::dnd:
      return 3;
    case Availability::be_right_back:
      return 4;
    case Availability::away:
      return 5;
    case Availability::xa:
      return 6;
    case Availability::offline:
      return 7;
  }
  return 7;
}

}  // namespace fedgate::presence
