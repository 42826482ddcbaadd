// SqlArray: a PostgreSQL array literal ('{"a","b\"c",NULL}') built for one `$n::type[]`
// parameter, so a batch of rows travels as ONE statement with one parameter per column
// (`unnest($1::text[], $2::bigint[], ...)`). Owned by the store adapters; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fedgate::gateway {

class SqlArray {
 public:
  // Quoted; backslash and double quote escaped, every other byte kept (NUL cannot be stored).
  void add_text(std::string_view value) {
    separator();
    text_ += '"';
    for (char c : value) {
      if (c == '\\' || c == '"') {
        text_ += '\\';
      }
      text_ += c;
    }
    text_ += '"';
  }
  void add_int(std::int64_t value) {
    separator();
    text_ += std::to_string(value);
  }
  void add_bool(bool value) {
    separator();
    text_ += value ? 't' : 'f';
  }
  void add_null() {
    separator();
    text_ += "NULL";
  }
  void add_int(const std::optional<std::int64_t>& value) { value ? add_int(*value) : add_null(); }

  std::size_t size() const { return size_; }
  // The literal; the builder is empty afterwards.
  std::string take() {
    std::string out = size_ == 0 ? std::string{"{}"} : std::move(text_) + "}";
    text_.clear();
    size_ = 0;
    return out;
  }

 private:
  void separator() { text_ += size_++ == 0 ? '{' : ','; }
  std::string text_;
  std::size_t size_ = 0;
};

}  // namespace fedgate::gateway
