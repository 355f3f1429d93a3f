using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Slipway.Infrastructure.Tracing;

/// <summary>Time since this process started, this process's CPU, and the CPU of the children it has waited for.</summary>
internal static class ProcessClock
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    /// <summary>Wall time since this class was first touched (the trace touches it first thing in Main).</summary>
    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(Started);

    /// <summary>User + system CPU of this process.</summary>
    public static TimeSpan SelfCpu => Environment.CpuUsage.TotalTime;

    /// <summary>User + system CPU of every child this process has waited for (getrusage RUSAGE_CHILDREN); zero where it cannot be read.</summary>
    public static TimeSpan ChildrenCpu
    {
        get
        {
            if (!OperatingSystem.IsLinux()) return TimeSpan.Zero;
            try
            {
                return GetRusage(-1, out var usage) == 0
                    ? TimeSpan.FromMicroseconds((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0 + usage.UserMicroseconds + usage.SystemMicroseconds)
                    : TimeSpan.Zero;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>How long the runtime took from the process's start to the first touch of this class (Linux: from /proc).</summary>
    public static TimeSpan? BeforeMain()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            return DateTime.Now - self.StartTime - Elapsed;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13;
    }

    [DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static extern int GetRusage(int who, out RUsage usage);
}
