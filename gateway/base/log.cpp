#include "gateway/base/log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace fedgate {

std::atomic<bool> WireTrace::sip{false};
std::atomic<bool> WireTrace::xmpp{false};

namespace {

spdlog::level::level_enum to_spd(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
    case LogLevel::off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

std::atomic<LogLevel> g_level{LogLevel::info};

bool needs_quotes(std::string_view v) {
  if (v.empty()) {
    return true;
  }
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += ' ';
  out += key;
  out += '=';
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  out += '"';
}

}  // namespace

Logger Logger::with(std::initializer_list<LogField> context) const {
  Logger child = *this;
  for (const auto& f : context) {
    append_field(child.context_, f.key, f.value);
  }
  return child;
}

bool Logger::enabled(LogLevel level) const { return level >= g_level.load(std::memory_order_relaxed); }

void Logger::write(LogLevel level, std::string_view event,
                   std::initializer_list<LogField> fields) const {
  if (!enabled(level)) {
    return;
  }
  std::string line{event};
  line += context_;
  for (const auto& f : fields) {
    append_field(line, f.key, f.value);
  }
  spdlog::default_logger_raw()->log(to_spd(level), "{}", line);
}

void Logger::trace(std::string_view e, std::initializer_list<LogField> f) const { write(LogLevel::trace, e, f); }
void Logger::debug(std::string_view e, std::initializer_list<LogField> f) const { write(LogLevel::debug, e, f); }
void Logger::info(std::string_view e, std::initializer_list<LogField> f) const { write(LogLevel::info, e, f); }
void Logger::warn(std::string_view e, std::initializer_list<LogField> f) const { write(LogLevel::warn, e, f); }
void Logger::error(std::string_view e, std::initializer_list<LogField> f) const { write(LogLevel::error, e, f); }

void init_logging(const LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  if (options.file.empty()) {
    logger = std::make_shared<spdlog::logger>("fedgate",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "fedgate", std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
  }
  std::string pattern = "%Y-%m-%dT%H:%M:%S.%e %l";
  if (!options.node_id.empty()) {
    pattern += " node=" + options.node_id;
  }
  pattern += " %v";
  logger->set_pattern(pattern);
  logger->set_level(spdlog::level::trace);  // filtering happens in Logger::enabled
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  set_log_level(options.level);
}

void set_log_level(LogLevel level) { g_level.store(level, std::memory_order_relaxed); }
LogLevel log_level() { return g_level.load(std::memory_order_relaxed); }

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (auto l : {LogLevel::trace, LogLevel::debug, LogLevel::info, LogLevel::warn,
                 LogLevel::error, LogLevel::off}) {
    if (to_string(l) == text) {
      return l;
    }
  }
  return std::nullopt;
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return "trace";
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
    case LogLevel::off: return "off";
  }
  return "info";
}

}  // namespace fedgate
