// fedgate::result<T>: the error-or-value type used across every layer (STYLE.md B6).
// boost::system::result matches Asio's error_code; std::expected needs C++23.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace fedgate {

template <class T>
using result = boost::system::result<T>;

using error_code = boost::system::error_code;

}  // namespace fedgate
