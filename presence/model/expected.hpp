// Expected<T, E>: a value or a small error enum, for presence/ (which may not use Boost, so
// not fedgate::result). Owned by presence_model; plain value, any executor.
// Used by the address and error mappings; callers test has_value() before value().
#pragma once

#include <utility>
#include <variant>

namespace fedgate::presence {

template <class T, class E>
class Expected {
 public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Expected(E error) : v_(std::in_place_index<1>, error) {}             // NOLINT: implicit

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  E error() const { return std::get<1>(v_); }

  friend bool operator==(const Expected&, const Expected&) = default;

 private:
  std::variant<T, E> v_;
};

}  // namespace fedgate::presence
