// Throwaway PKI for the TLS tests, made with the `openssl` CLI in a fresh temporary directory:
// a CA, a server certificate it signed (SAN localhost / 127.0.0.1), a client certificate it
// signed, and a self-signed "stranger" client certificate no CA vouches for.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace strata::http::testing {

class TestPki {
 public:
  TestPki() {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0)
      throw std::runtime_error("the TLS tests need the `openssl` command line tool on PATH");
    std::string tmpl = (std::filesystem::temp_directory_path() / "strata-tls-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("req -x509 " + key + " -keyout " + path("ca.key") + " -out " + path("ca.crt") +
        " -days 2 -subj /CN=strata-test-ca");
    issue("server", "/CN=localhost",
          "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    issue("client", "/CN=strata-test-client", "extendedKeyUsage=clientAuth");
    run("req -x509 " + key + " -keyout " + path("stranger.key") + " -out " + path("stranger.crt") +
        " -days 2 -subj /CN=stranger");
  }
  ~TestPki() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  void run(const std::string& args) const {
    std::string cmd = "openssl " + args + " >" + path("openssl.log") + " 2>&1";
    if (std::system(cmd.c_str()) != 0)
      throw std::runtime_error("`" + cmd + "` failed; see " + path("openssl.log"));
  }
  // A key and a certificate for `name`, signed by the CA, with the given v3 extensions.
  void issue(const std::string& name, const std::string& subject, const std::string& ext) {
    std::string ext_file = path(name + ".ext");
    std::string write = "printf '" + ext + "\\n' > " + ext_file;
    if (std::system(write.c_str()) != 0) throw std::runtime_error("cannot write " + ext_file);
    run("req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
        path(name + ".key") + " -out " + path(name + ".csr") + " -subj " + subject);
    run("x509 -req -in " + path(name + ".csr") + " -CA " + path("ca.crt") + " -CAkey " +
        path("ca.key") + " -CAcreateserial -days 2 -out " + path(name + ".crt") + " -extfile " +
        ext_file);
  }
  std::filesystem::path dir_;
};

}  // namespace strata::http::testing
