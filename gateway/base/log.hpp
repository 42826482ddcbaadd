// Structured logging: one event a line, "event key=value ...", through spdlog (STYLE.md B7).
// A Logger is a cheap value carrying context fields (node=, conn=, peer=); copy it freely.
// Thread-safe: spdlog's sinks carry their own mutex. Wire tracing is switched at runtime.
#pragma once

#include <fmt/format.h>

#include <atomic>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace fedgate {

enum class LogLevel { trace, debug, info, warn, error, off };

// A key and its value, formatted once. Values with spaces or quotes are quoted on output.
struct LogField {
  template <class T>
  LogField(std::string_view k, const T& v) : key(k), value(fmt::format("{}", v)) {}
  std::string_view key;
  std::string value;
};

class Logger {
 public:
  Logger() = default;
  // A child logger whose lines carry these fields too.
  Logger with(std::initializer_list<LogField> context) const;

  void trace(std::string_view event, std::initializer_list<LogField> fields = {}) const;
  void debug(std::string_view event, std::initializer_list<LogField> fields = {}) const;
  void info(std::string_view event, std::initializer_list<LogField> fields = {}) const;
  void warn(std::string_view event, std::initializer_list<LogField> fields = {}) const;
  void error(std::string_view event, std::initializer_list<LogField> fields = {}) const;
  bool enabled(LogLevel level) const;

 private:
  void write(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) const;
  std::string context_;  // preformatted " k=v k=v"
};

struct LogOptions {
  LogLevel level = LogLevel::info;
  std::string node_id;
  std::string file;  // empty: standard error
};

void init_logging(const LogOptions& options);
void set_log_level(LogLevel level);
LogLevel log_level();
// "trace".."off"; nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view to_string(LogLevel level);

// Per-protocol wire tracing, switched at runtime (admin API, config). While a switch is on,
// the transports log every chunk read or written at info level as "sip.wire"/"xmpp.wire".
struct WireTrace {
  static std::atomic<bool> sip;
  static std::atomic<bool> xmpp;
};
}  // namespace fedgate
