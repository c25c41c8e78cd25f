#include "sim/core/output_file.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <streambuf>
#include <utility>

namespace parley {
namespace {

namespace fs = std::filesystem;

constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

// ---- Pending temporary files, removed by the signal handler --------------

// The handler reads only these atomics and fixed buffers: no allocation, no
// locks. A slot is free (0), being filled (1) or holds a pending file (2).
static_assert(std::atomic<int>::is_always_lock_free);
constexpr int kSlots = 64;
struct Slot {
  std::atomic<int> state{0};
  char path[PATH_MAX];
};
Slot g_slots[kSlots];

// Returns the slot, or -1 when the path is too long or every slot is taken
// (the file is then not removed on a signal; everything else still works).
int RegisterTemp(const std::string& path) {
  if (path.size() >= PATH_MAX) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(2, std::memory_order_release);
      return i;
    }
  }
  return -1;
}

void UnregisterTemp(int slot) {
  if (slot >= 0) g_slots[slot].state.store(0, std::memory_order_release);
}

extern "C" void RemoveTempFilesAndDie(int sig) {
  const int saved = errno;
  for (Slot& slot : g_slots) {
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  }
  // SA_RESETHAND restored the default action; the signal stays blocked until
  // this handler returns, and then ends the process as it would have.
  ::raise(sig);
  errno = saved;
}

// Blocks the handled signals while a temporary file is created and
// registered, so that none is left between the two.
class BlockHandledSignals {
 public:
  BlockHandledSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kHandledSignals) sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockHandledSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

 private:
  sigset_t old_;
};

// ---- Small POSIX helpers ----------------------------------------------------

// 0, or the errno of the first failed write.
int WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, std::min<size_t>(size, size_t{1} << 30));
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

Status CannotWrite(const std::string& path, int error) {
  return Internal("cannot write " + path + ": " + std::strerror(error));
}

// What `path` reaches once symbolic links are followed: the last link's
// target (which need not exist yet), or `path` itself.
StatusOr<std::string> FollowLinks(const std::string& path) {
  fs::path target = path;
  for (int depth = 0; depth < 40; ++depth) {
    struct stat st;
    if (::lstat(target.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return target.string();
    std::error_code ec;
    const fs::path link = fs::read_symlink(target, ec);
    if (ec) return Internal("cannot write " + path + ": " + ec.message());
    target = link.is_absolute() ? link : target.parent_path() / link;
  }
  return CannotWrite(path, ELOOP);
}

enum class Kind { kMissing, kRegular, kStream, kRefused, kUnknown };

struct Probe {
  Kind kind = Kind::kUnknown;
  struct stat st {};
  int error = 0;  // for kUnknown: why stat failed
};

Probe ProbeTarget(const std::string& target) {
  Probe p;
  if (::stat(target.c_str(), &p.st) != 0) {
    p.error = errno;
    p.kind = errno == ENOENT ? Kind::kMissing : Kind::kUnknown;
    return p;
  }
  if (S_ISREG(p.st.st_mode)) {
    p.kind = Kind::kRegular;
  } else if (S_ISCHR(p.st.st_mode) || S_ISFIFO(p.st.st_mode)) {
    p.kind = Kind::kStream;
  } else {
    p.kind = Kind::kRefused;
  }
  return p;
}

// "PATH: is a directory; ..." for a kind of file Parley does not write.
std::string Refusal(const std::string& path, const struct stat& st) {
  const char* what = S_ISDIR(st.st_mode)    ? "a directory"
                     : S_ISSOCK(st.st_mode) ? "a socket"
                     : S_ISBLK(st.st_mode)  ? "a block device"
                                            : "not a regular file";
  return path + ": is " + what +
         "; an output must be a regular file (replaced atomically), a FIFO or a character device";
}

// A new temporary file beside `target`, opened for writing: a name unique to
// this process and call, created with O_EXCL (never an existing file or a
// link someone planted). Returns the descriptor and sets `temp`, `slot`.
int CreateTemp(const std::string& target, std::string& temp, int& slot) {
  static std::atomic<unsigned long> counter{0};
  const fs::path t(target);
  std::string base = t.filename().string();
  if (base.size() > 200) base.resize(200);  // stay under NAME_MAX
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate =
        t.parent_path() / ("." + base + ".parley-tmp-" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1)));
    BlockHandledSignals block;
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      temp = candidate.string();
      std::error_code ec;
      const fs::path absolute = fs::absolute(candidate, ec);
      slot = RegisterTemp(ec ? temp : absolute.string());
      return fd;
    }
    if (errno != EEXIST) return -1;
  }
  errno = EEXIST;
  return -1;
}

// ---- Standard output ----------------------------------------------------------

// std::cout's buffer after UseCheckedStandardOutput: writes to descriptor 1
// and keeps the first error; once one happened it discards the rest.
class CheckedOutputBuffer final : public std::streambuf {
 public:
  CheckedOutputBuffer() { setp(buffer_, buffer_ + sizeof buffer_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (Drain() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (n > epptr() - pptr()) {
      if (Drain() != 0) return 0;
      if (n >= static_cast<std::streamsize>(sizeof buffer_)) {
        if (error_ == 0) error_ = WriteAll(1, s, static_cast<size_t>(n));
        return error_ == 0 ? n : 0;
      }
    }
    std::memcpy(pptr(), s, static_cast<size_t>(n));
    pbump(static_cast<int>(n));
    return n;
  }
  int sync() override { return Drain() == 0 ? 0 : -1; }

 private:
  int Drain() {
    if (error_ == 0) error_ = WriteAll(1, pbase(), static_cast<size_t>(pptr() - pbase()));
    setp(buffer_, buffer_ + sizeof buffer_);
    return error_;
  }
  char buffer_[1 << 16];
  int error_ = 0;
};

// Never destroyed: std::cout may be flushed at exit after static destructors.
CheckedOutputBuffer* g_checked_stdout = nullptr;
// SendOutputsToStandardOutput.
bool g_outputs_to_stdout = false;

// Keys that tell whether two outputs are one file.
struct Identity {
  bool exists = false;
  bool character_device = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string normalised;  // when it does not exist
};

Identity IdentityOf(const std::string& path) {
  Identity id;
  auto followed = FollowLinks(path);
  const std::string target = followed.ok() ? *followed : path;
  struct stat st;
  if (::stat(target.c_str(), &st) == 0) {
    id.exists = true;
    id.character_device = S_ISCHR(st.st_mode);
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
  }
  std::error_code ec;
  fs::path p = fs::absolute(target, ec);
  if (ec) p = target;
  const fs::path canonical = fs::weakly_canonical(p, ec);
  id.normalised = (ec ? p : canonical).lexically_normal().string();
  return id;
}

bool SameFile(const Identity& a, const Identity& b) {
  if (a.exists != b.exists) return false;
  if (!a.exists) return a.normalised == b.normalised;
  // Two writes to /dev/null or a terminal lose nothing.
  return a.dev == b.dev && a.ino == b.ino && !a.character_device;
}

}  // namespace

Status CheckOutputs(std::span<const NamedOutput> outputs) {
  std::vector<Identity> ids(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const NamedOutput& out = outputs[i];
    if (!out.path) {
      for (size_t j = 0; j < i; ++j) {
        if (!outputs[j].path) {
          return InvalidArgument(outputs[j].flag + " - and " + out.flag +
                                 " - would both write to stdout; give one a path");
        }
      }
      continue;
    }
    // Errors other than the kind of file (a missing folder, no permission)
    // are reported when the file is written, as before.
    auto target = FollowLinks(*out.path);
    if (target.ok()) {
      const Probe probe = ProbeTarget(*target);
      if (probe.kind == Kind::kRefused) {
        return InvalidArgument(out.flag + " " + Refusal(*out.path, probe.st));
      }
    }
    ids[i] = IdentityOf(*out.path);
    for (size_t j = 0; j < i; ++j) {
      if (outputs[j].path && SameFile(ids[j], ids[i])) {
        const std::string both =
            *outputs[j].path == *out.path ? *out.path : *outputs[j].path + " and " + *out.path;
        return InvalidArgument(outputs[j].flag + " and " + out.flag + " name the same file (" +
                               both + "); give each output its own path");
      }
    }
  }
  return OkStatus();
}

OutputTransaction::~OutputTransaction() { Discard(); }

void OutputTransaction::Discard() {
  for (Pending& p : pending_) {
    if (p.fd >= 0) ::close(p.fd);
    if (!p.temp.empty()) {
      ::unlink(p.temp.c_str());
      UnregisterTemp(p.slot);
    }
  }
  pending_.clear();
}

Status OutputTransaction::Add(const std::string& path, std::string contents) {
  if (g_outputs_to_stdout) {
    AddStdout(std::move(contents));
    return OkStatus();
  }
  PARLEY_ASSIGN_OR_RETURN(std::string target, FollowLinks(path));
  const Probe probe = ProbeTarget(target);
  switch (probe.kind) {
    case Kind::kRefused:
      return InvalidArgument("cannot write " + Refusal(path, probe.st));
    case Kind::kUnknown:
      return CannotWrite(path, probe.error);
    case Kind::kStream: {
      // Written at Commit, straight into the FIFO or device.
      Pending p;
      p.path = path;
      p.target = std::move(target);
      p.contents = std::move(contents);
      pending_.push_back(std::move(p));
      return OkStatus();
    }
    case Kind::kMissing:
    case Kind::kRegular:
      break;
  }
  Pending p;
  p.path = path;
  p.target = std::move(target);
  const int fd = CreateTemp(p.target, p.temp, p.slot);
  if (fd < 0) return CannotWrite(path, errno);
  // Registered before anything else can fail, so that Discard removes it.
  pending_.push_back(p);
  int error = WriteAll(fd, contents.data(), contents.size());
  // A replaced file keeps its permission bits (not set-id bits); a new one
  // gets 0666 less the umask.
  if (error == 0 && probe.kind == Kind::kRegular) {
    if (::fchmod(fd, probe.st.st_mode & 0777) != 0) error = errno;
  }
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) return CannotWrite(path, error);
  return OkStatus();
}

StatusOr<int> OutputTransaction::OpenStream(const std::optional<std::string>& path) {
  Pending p;
  p.streamed = true;
  if (!path || g_outputs_to_stdout) {
    p.to_stdout = true;
    pending_.push_back(std::move(p));
    return static_cast<int>(pending_.size()) - 1;
  }
  p.path = *path;
  PARLEY_ASSIGN_OR_RETURN(p.target, FollowLinks(*path));
  const Probe probe = ProbeTarget(p.target);
  switch (probe.kind) {
    case Kind::kRefused:
      return InvalidArgument("cannot write " + Refusal(*path, probe.st));
    case Kind::kUnknown:
      return CannotWrite(*path, probe.error);
    case Kind::kStream:
      // Opened as it is, as with the shell's `>` (a FIFO waits for its reader).
      p.fd = ::open(p.target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
      if (p.fd < 0) return CannotWrite(*path, errno);
      pending_.push_back(std::move(p));
      return static_cast<int>(pending_.size()) - 1;
    case Kind::kMissing:
    case Kind::kRegular:
      break;
  }
  if (probe.kind == Kind::kRegular) p.keep_mode = static_cast<int>(probe.st.st_mode & 0777);
  p.fd = CreateTemp(p.target, p.temp, p.slot);
  if (p.fd < 0) return CannotWrite(*path, errno);
  pending_.push_back(std::move(p));
  return static_cast<int>(pending_.size()) - 1;
}

Status OutputTransaction::Append(int handle, std::string_view piece) {
  Pending& p = pending_.at(static_cast<size_t>(handle));
  if (p.to_stdout) {
    std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    if (!std::cout) return Internal("cannot write to standard output");
    return OkStatus();
  }
  if (const int error = WriteAll(p.fd, piece.data(), piece.size()); error != 0) {
    return CannotWrite(p.path, error);
  }
  return OkStatus();
}

void OutputTransaction::AddStdout(std::string contents) {
  Pending p;
  p.contents = std::move(contents);
  p.to_stdout = true;
  pending_.push_back(std::move(p));
}

Status OutputTransaction::Commit() {
  // First what cannot be undone or staged: FIFOs, devices, stdout. A failure
  // there leaves every regular file as it was.
  for (Pending& p : pending_) {
    if (p.streamed) {
      // Written already: flush or close; a regular file's rename follows.
      if (p.to_stdout) {
        PARLEY_RETURN_IF_ERROR(FlushStandardOutput());
        continue;
      }
      int error = 0;
      if (p.keep_mode >= 0 && ::fchmod(p.fd, static_cast<mode_t>(p.keep_mode)) != 0) error = errno;
      if (::close(p.fd) != 0 && error == 0) error = errno;
      p.fd = -1;
      if (error != 0) return CannotWrite(p.path, error);
      continue;
    }
    if (p.to_stdout) {
      std::cout.write(p.contents.data(), static_cast<std::streamsize>(p.contents.size()));
      PARLEY_RETURN_IF_ERROR(FlushStandardOutput());
      continue;
    }
    if (!p.temp.empty()) continue;
    // No O_CREAT, no O_TRUNC: the FIFO or device is opened as it is (a FIFO
    // waits for its reader, as with the shell's `>`).
    const int fd = ::open(p.target.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return CannotWrite(p.path, errno);
    struct stat st;
    int error = 0;
    if (::fstat(fd, &st) != 0) {
      error = errno;
    } else if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
      ::close(fd);
      return Internal("cannot write " + p.path +
                      ": it was replaced by another kind of file while Parley ran");
    } else {
      error = WriteAll(fd, p.contents.data(), p.contents.size());
    }
    if (::close(fd) != 0 && error == 0) error = errno;
    if (error != 0) return CannotWrite(p.path, error);
  }
  for (Pending& p : pending_) {
    if (p.temp.empty()) continue;
    if (::rename(p.temp.c_str(), p.target.c_str()) != 0) return CannotWrite(p.path, errno);
    UnregisterTemp(p.slot);
    p.temp.clear();
  }
  pending_.clear();
  return OkStatus();
}

Status WriteOutputFile(const std::string& path, std::string contents) {
  OutputTransaction transaction;
  PARLEY_RETURN_IF_ERROR(transaction.Add(path, std::move(contents)));
  return transaction.Commit();
}

void RemoveTempFilesOnSignals() {
  for (int sig : kHandledSignals) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction action {};
    action.sa_handler = RemoveTempFilesAndDie;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &action, nullptr);
  }
}

void SendOutputsToStandardOutput() { g_outputs_to_stdout = true; }

void UseCheckedStandardOutput() {
  std::cout.flush();
  std::fflush(stdout);
  if (g_checked_stdout == nullptr) g_checked_stdout = new CheckedOutputBuffer();
  std::cout.rdbuf(g_checked_stdout);
}

Status FlushStandardOutput() {
  std::cout.flush();
  int error = g_checked_stdout != nullptr ? g_checked_stdout->error() : 0;
  errno = 0;
  const bool c_failed = std::fflush(stdout) != 0 || std::ferror(stdout);
  if (error == 0 && (c_failed || std::cout.bad())) error = errno != 0 ? errno : EIO;
  if (error != 0) {
    return Internal(std::string("cannot write to standard output: ") + std::strerror(error));
  }
  return OkStatus();
}

}  // namespace parley
