// ChildProcess: argv without a shell, captured output, exit status, bounded wait.
#include "gateway/store/child_process.hpp"

#include <gtest/gtest.h>

namespace fedgate::gateway {
namespace {

TEST(ChildProcess, CapturesStdoutAndStderr) {
  auto r = run_child({"/bin/sh", "-c", "echo out; echo err >&2"}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_status, 0);
  EXPECT_NE(r->output.find("out\n"), std::string::npos);
  EXPECT_NE(r->output.find("err\n"), std::string::npos);
}

TEST(ChildProcess, PassesArgumentsVerbatimWithoutAShell) {
  auto r = run_child({"/bin/echo", "a; rm -rf x", "$HOME"}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->output, "a; rm -rf x $HOME\n");
}

TEST(ChildProcess, ReportsTheExitStatus) {
  auto r = run_child({"/bin/sh", "-c", "exit 3"}, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->exit_status, 3);
  EXPECT_FALSE(r->timed_out);
}

TEST(ChildProcess, KillsAChildThatOutlivesItsTimeout) {
  ChildOptions options;
  options.timeout = milliseconds(200);
  auto started = Clock::now();
  auto r = run_child({"/bin/sleep", "30"}, options);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->exit_status, 128 + 9);
  EXPECT_LT(Clock::now() - started, seconds(10));
}

TEST(ChildProcess, FailsForAMissingProgram) {
  auto r = run_child({"/nonexistent/fedgate-tool"}, {});
  EXPECT_FALSE(r);
}

TEST(ChildProcess, DescribesCommandsWithQuotes) {
  EXPECT_EQ(describe_command({"pg_ctl", "-D", "/a b", "start"}), "pg_ctl -D '/a b' start");
}

}  // namespace
}  // namespace fedgate::gateway
