// StanzaPipeline: the inbound stanzas of one s2s stream in the handler's hands — each started at
// once in stream order (bounded in flight), and the stream's writes held until every stanza
// parsed before them has been taken (XEP-0198 §4: <a h/> only after the commit). Owned by the
// inbound session (shared with the handlers it starts); the session's strand only.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "xmpp/codec/element.hpp"
#include "xmpp/transport/s2s_config.hpp"

namespace fedgate::xmpp {

class StanzaPipeline : public std::enable_shared_from_this<StanzaPipeline> {
 public:
  // `strand`: the session's; `handler` outlives every stanza started; `limit`: in flight at most.
  static std::shared_ptr<StanzaPipeline> create(boost::asio::any_io_executor strand,
                                                StanzaHandler& handler, std::size_t limit);
  StanzaPipeline(boost::asio::any_io_executor strand, StanzaHandler& handler, std::size_t limit);

  // The next stanza of the stream: taken at once when the handler can (take_now), else
  // started now if fewer than `limit` are in flight, otherwise when one completes (still in
  // stream order).
  void push(Element stanza);
  // The stanzas of one read, in stream order (moved from, left empty): as push() each, but a
  // handler that takes batches gets those it did not take at once in one on_stanzas call.
  void push(std::vector<Element>& stanzas);
  // Bytes for the peer, written once every stanza pushed before them has been taken.
  void push_write(std::string bytes);
  // Every write whose stanzas have all been taken, in order, gathered into `out` (appended).
  // False when there is none.
  bool take_ready_writes(std::string& out);

  // The session may read more: nothing is waiting to start and fewer than `limit` in flight.
  bool can_read() const { return waiting_.empty() && in_flight_ < limit_; }
  // Nothing started is still running and nothing waits to start.
  bool idle() const { return in_flight_ == 0 && waiting_.empty(); }
  // A handler failed (threw): its stanza was not taken, nor is anything after it acknowledged.
  bool failed() const { return failed_; }
  std::size_t in_flight() const { return in_flight_; }
  std::uint64_t taken() const { return taken_; }  // the completed prefix, in stanzas
  // Rung (cancelled) when the session has something to do: a write became ready, reading may
  // resume, a handler failed, or the last stanza completed. Waited on with the socket.
  boost::asio::steady_timer& bell() { return bell_; }

 private:
  void start(Element stanza);
  void start_batch(std::vector<Element> stanzas);
  bool taken_at_once(Element& stanza);
  void start_waiting();
  // `count` stanzas from `seq` completed, the first `ok` of them taken.
  void completed(std::uint64_t seq, std::size_t count, std::size_t ok);

  boost::asio::any_io_executor strand_;
  StanzaHandler& handler_;
  std::size_t limit_;
  boost::asio::steady_timer bell_;
  std::deque<Element> waiting_;  // parsed, not started (the bound was reached)
  std::deque<bool> done_;        // stanzas taken_.. started_-1: completed yet?
  struct Write {
    std::uint64_t after;  // written once taken_ reaches this
    std::string bytes;
  };
  std::deque<Write> writes_;
  std::uint64_t pushed_ = 0;
  std::uint64_t started_ = 0;
  std::uint64_t taken_ = 0;
  std::size_t in_flight_ = 0;
  bool failed_ = false;
};

}  // namespace fedgate::xmpp
