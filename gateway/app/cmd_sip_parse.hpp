// `fedgate sip-parse FILE...`: parses each file as one SIP message (sip_codec) and prints a
// one-line JSON summary per file. Owned by the SIP codec engineer; runs on the CLI thread.
// Exit status: 0 all parsed, 2 a file did not parse (error printed), 1 a file was unreadable.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace fedgate::gateway {

int cmd_sip_parse(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

}  // namespace fedgate::gateway
