// MsrtcReader: the load generator's own reader of the msrtc-event-categories documents fedgate
// sends in NOTIFYs (MS-PRES §2.2.2): one expat parser reset per document, keeping only what the
// phase b check needs (the document's uri, every state availability, the note text). An
// independent decoder, not fedgate's. Owned by the Scenario; generator thread only.
#pragma once

#include <expat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fedgate::load {

struct MsrtcReading {
  std::string uri;                            // <categories uri="...">
  std::vector<std::uint32_t> availabilities;  // <availability> of every "state" category
  std::string note;                           // text of the "note" categories' <body>
};

class MsrtcReader {
 public:
  MsrtcReader();
  ~MsrtcReader();
  MsrtcReader(const MsrtcReader&) = delete;
  MsrtcReader& operator=(const MsrtcReader&) = delete;

  // False when `xml` is not a well-formed categories document (or an availability not a number).
  bool read(std::string_view xml, MsrtcReading& out);

 private:
  enum class Capture { none, availability, note_body };
  static void on_start(void* self, const XML_Char* name, const XML_Char** attrs);
  static void on_end(void* self, const XML_Char* name);
  static void on_text(void* self, const XML_Char* text, int size);
  void start(std::string_view name, const XML_Char** attrs);
  void end(std::string_view name);

  XML_Parser parser_;
  MsrtcReading* out_ = nullptr;
  int depth_ = 0;
  bool root_ok_ = false, bad_ = false;
  std::string category_;  // the name of the category being read
  Capture capture_ = Capture::none;
  std::string text_;
};

}  // namespace fedgate::load
