using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Pipeline;

namespace Slipway.Cli;

/// <summary>Every exit code Slipway returns. Documented in --help and README.md; keep the three in step.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int InternalError = 1;
    public const int UsageError = 2;
    public const int InvalidInput = 3;
    public const int PrerequisiteMissing = 4;
    public const int RolledBack = 5;
    public const int RollbackFailed = 6;
    public const int Locked = 7;
    public const int VerifyTimeout = 8;
    public const int DeploymentFailed = 9;
    public const int NotFound = 10;
    public const int Conflict = 11;
    public const int PermissionDenied = 12;
    public const int NoSpace = 13;
    public const int PathMissing = 14;
    public const int SyncRefused = 15;
    public const int Interrupted = 130;

    public static int For(FailureReason reason) => reason switch
    {
        FailureReason.InvalidInput => InvalidInput,
        FailureReason.PrerequisiteMissing => PrerequisiteMissing,
        FailureReason.DeploymentFailed => DeploymentFailed,
        FailureReason.Locked => Locked,
        FailureReason.VerifyTimeout => VerifyTimeout,
        FailureReason.NotFound => NotFound,
        FailureReason.Conflict => Conflict,
        FailureReason.Usage => UsageError,
        FailureReason.PermissionDenied => PermissionDenied,
        FailureReason.NoSpace => NoSpace,
        FailureReason.PathMissing => PathMissing,
        FailureReason.SyncRefused => SyncRefused,
        _ => InternalError,
    };

    /// <summary>A run's end: rolled back and rollback failed have their own codes; a plain failure is its stage's reason.</summary>
    public static int For(RunOutcome outcome) => outcome.State switch
    {
        RunState.Succeeded => Success,
        RunState.RolledBack => RolledBack,
        RunState.RollbackFailed => RollbackFailed,
        // Stopped by the file system (the disk full), not by a signal: that failure's own code.
        RunState.Interrupted => outcome.Reason is { } reason ? For(reason) : Interrupted,
        _ => For(outcome.Reason ?? FailureReason.DeploymentFailed),
    };

    public static readonly IReadOnlyList<(int Code, string Name, string Meaning)> All =
    [
        (Success, "Success", "the command did what it was asked"),
        (InternalError, "InternalError", "a bug in Slipway (rerun with --debug and report it)"),
        (UsageError, "UsageError", "the command line is wrong (unknown option, missing argument, a service D does not have)"),
        (InvalidInput, "InvalidInput", "a stack, spec or compose file is invalid, or update refused a download (checksum, not a Slipway build); nothing was changed"),
        (PrerequisiteMissing, "PrerequisiteMissing", "a tool Slipway drives (docker, docker compose, kubectl) is missing or not answering, the registry refuses the login, restart's DNS probe finds that a changed http-proxy host name does not reach the cluster (nothing changed), update's release server does not answer, build-npms lacks its builder image, registry URL or token, or a commands.py hook to run finds no python3"),
        (RolledBack, "RolledBack", "the deploy failed and the last good revision was put back"),
        (RollbackFailed, "RollbackFailed", "the deploy failed and so did the rollback: manual intervention needed"),
        (Locked, "Locked", "another run holds the deployment's lock"),
        (VerifyTimeout, "VerifyTimeout", "the deployment did not become healthy in time"),
        (DeploymentFailed, "DeploymentFailed", "docker compose or kubectl failed while applying, an image or npm package failed to build, or a stack hook (hooks/NAME or a commands.py function) failed"),
        (NotFound, "NotFound", "a deployment directory, stack, service or job does not exist"),
        (Conflict, "Conflict", "the target already exists (deploy create into an existing directory), or what the run needs is taken or pinned (a host port in use, a rollback pin, a failed revision without --allow-failed)"),
        (PermissionDenied, "PermissionDenied", "a file or folder Slipway needs may not be read or written (permissions, read-only file system)"),
        (NoSpace, "NoSpace", "the disk or quota holding a file Slipway writes is full"),
        (PathMissing, "PathMissing", "a folder Slipway reads or writes in does not exist (e.g. the parent of the deployment directory)"),
        (SyncRefused, "SyncRefused", "restart's git pull was refused or failed (diverged branch, local changes in the way, remote unreachable); nothing was pulled, D is unchanged"),
        (Interrupted, "Interrupted", "interrupted by Ctrl+C or SIGTERM"),
    ];
}
