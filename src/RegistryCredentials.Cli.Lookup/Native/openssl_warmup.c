// regcred-lookup's OpenSSL warm-up (docs/performance.md, "OpenSSL initialised on a second thread").
//
// Every lookup decrypts a stored secret (AES-256-GCM, keys named by their SHA-256), and the first cryptographic call
// of a .NET process on Linux pays for OpenSSL's start: loading libssl and libcrypto, .NET's OPENSSL_init_ssl (which
// reads the system's openssl.cnf) and, at the first digest and cipher, the default provider's algorithm tables. In a
// process that lives about 10 ms that is more than a third of its time, spent on the one thread that does the lookup.
//
// This file is linked into the Native AOT executable only (the project's CompileOpenSslWarmUp target). Its constructor
// runs before the runtime starts and begins that work on a second native thread, so it overlaps the runtime's start,
// the container and the SQLite query instead of following them.
//
// First, while the process still has one thread, the constructor registers it for membarrier(2)'s private expedited
// command, exactly as the runtime does when it starts (InitializeFlushProcessWriteBuffers in its PAL). Registering a
// process that already has a second thread makes the kernel wait for an RCU grace period, several milliseconds, which
// would cost more than the warm-up saves; registered once, the runtime's own registration returns at once. Where the
// kernel lacks the command, the runtime does not use it either, and nothing is registered.
//
// The thread calls .NET's own initialisation (CryptoNative_EnsureOpenSslInitialized, from the runtime's
// System.Security.Cryptography.Native library linked into the same executable), not a copy of it: the library it
// loads, the flags it passes, DOTNET_SYSTEM_NET_SECURITY_OPENSSL_MEMORY_DEBUG and CLR_OPENSSL_VERSION_OVERRIDE are the
// runtime's, and the runtime's later call waits for this one (pthread_once) or returns at once. Then it fetches the
// two algorithms a lookup uses from the default library context, which OpenSSL keeps for the runtime's calls.
//
// It does nothing if libssl cannot be loaded (a lookup that never decrypts still succeeds, and one that does reports
// the runtime's own error), and the thread is joined before the process exits (atexit, before the libraries' own
// destructors). REGCRED_NO_OPENSSL_WARMUP=1 turns it off, to compare or to rule it out.

#include <dlfcn.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

// System.Security.Cryptography.Native's exports, as in the runtime's openssl.c and pal_evp.c (.NET 10).
int32_t CryptoNative_OpenSslAvailable(void);
int32_t CryptoNative_EnsureOpenSslInitialized(void);
const void* CryptoNative_EvpSha256(void);

// OpenSSL 3's public API (openssl/evp.h), looked up in the libcrypto that libssl loaded.
typedef void* (*cipher_fetch_fn)(void* libctx, const char* algorithm, const char* properties);
typedef void (*cipher_free_fn)(void* cipher);

static pthread_t warmup_thread;

static void fetch_aes_gcm(void)
{
    // .NET passes EVP_aes_256_gcm() to EVP_CipherInit_ex, which fetches the provider's implementation the first time;
    // an explicit fetch builds the same cipher table once, here.
    void* libcrypto = dlopen("libcrypto.so.3", RTLD_LAZY | RTLD_NOLOAD);
    if (libcrypto == NULL)
    {
        return;
    }

    cipher_fetch_fn fetch = (cipher_fetch_fn)dlsym(libcrypto, "EVP_CIPHER_fetch");
    cipher_free_fn release = (cipher_free_fn)dlsym(libcrypto, "EVP_CIPHER_free");
    if (fetch != NULL && release != NULL)
    {
        void* cipher = fetch(NULL, "AES-256-GCM", NULL);
        if (cipher != NULL)
        {
            release(cipher);
        }
    }

    dlclose(libcrypto);
}

static void* warm_up(void* unused)
{
    (void)unused;
    if (!CryptoNative_OpenSslAvailable() || CryptoNative_EnsureOpenSslInitialized() != 0)
    {
        return NULL;
    }

    CryptoNative_EvpSha256();
    fetch_aes_gcm();
    return NULL;
}

static void join_warm_up(void)
{
    pthread_join(warmup_thread, NULL);
}

static void register_membarrier(void)
{
    long commands = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (commands >= 0 && (commands & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0)
    {
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
    }
}

__attribute__((constructor)) static void start_warm_up(void)
{
    const char* off = getenv("REGCRED_NO_OPENSSL_WARMUP");
    if (off != NULL && strcmp(off, "1") == 0)
    {
        return;
    }

    register_membarrier();
    if (pthread_create(&warmup_thread, NULL, warm_up, NULL) == 0)
    {
        atexit(join_warm_up);
    }
}
