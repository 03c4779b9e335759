using System.Reflection;
using System.Runtime.InteropServices;

namespace Zakaz.Storage.ChDb;

/// <summary>The slice of chDB's C API (chdb.h, 26.7) that Zakaz uses. Handles are opaque pointers.</summary>
internal static unsafe partial class ChDbNative
{
    public const string Library = "chdb";

    [LibraryImport(Library)]
    public static partial void chdb_set_signal_handlers_enabled(int enabled);

    [LibraryImport(Library)]
    public static partial nint chdb_connect(int argc, nint* argv);

    [LibraryImport(Library)]
    public static partial void chdb_close_conn(nint connectionPointer);

    [LibraryImport(Library)]
    public static partial nint chdb_query_with_params_n(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        nint* names, nuint* nameLengths, nint* values, nuint* valueLengths, nuint count);

    [LibraryImport(Library)]
    public static partial nint chdb_stream_query_with_params_n(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        nint* names, nuint* nameLengths, nint* values, nuint* valueLengths, nuint count);

    [LibraryImport(Library)]
    public static partial nint chdb_stream_fetch_result(nint connection, nint result);

    [LibraryImport(Library)]
    public static partial void chdb_stream_cancel_query(nint connection, nint result);

    [LibraryImport(Library)]
    public static partial void chdb_destroy_query_result(nint result);

    [LibraryImport(Library)]
    public static partial nint chdb_result_buffer(nint result);

    [LibraryImport(Library)]
    public static partial nuint chdb_result_length(nint result);

    [LibraryImport(Library)]
    public static partial nint chdb_result_error(nint result);

    [LibraryImport(Library)]
    public static partial nint chdb_stream_insert_n(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength);

    [LibraryImport(Library)]
    public static partial int chdb_stream_append(nint stream, byte* data, nuint length);

    [LibraryImport(Library)]
    public static partial nint chdb_stream_done(nint stream);

    [LibraryImport(Library)]
    public static partial void chdb_stream_cancel_insert(nint stream);

    [LibraryImport(Library)]
    public static partial nint chdb_stream_insert_error(nint stream);

    [LibraryImport(Library)]
    public static partial void chdb_destroy_insert_stream(nint stream);

    /// <summary>
    /// Backs <paramref name="database"/> up into one archive at <paramref name="filePath"/> (absolute, inside the
    /// connect-time <c>--backups.allowed_path</c>, its directory existing, the file not); a non-null
    /// <paramref name="baseFilePath"/> makes it incremental against that archive. Returns a query result.
    /// </summary>
    [LibraryImport(Library)]
    public static partial nint chdb_backup_database_n(nint connection, byte* database, nuint databaseLength, byte* filePath, nuint filePathLength,
        byte* baseFilePath, nuint baseFilePathLength);

    /// <summary>Restores <paramref name="database"/> (the name inside the archive, restored under the same name) from an archive. Returns a query result.</summary>
    [LibraryImport(Library)]
    public static partial nint chdb_restore_database_n(nint connection, byte* database, nuint databaseLength, byte* filePath, nuint filePathLength);

    /// <summary>libc's setenv: .NET keeps its own copy of the environment, which native code never sees.</summary>
    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int setenv(string name, string value, int overwrite);

    private static string? _resolvedPath;

    // Must run before the first call.
    public static void UseLibrary(string path)
    {
        lock (typeof(ChDbNative))
        {
            if (_resolvedPath is not null)
            {
                return;
            }
            _resolvedPath = path;
            NativeLibrary.SetDllImportResolver(typeof(ChDbNative).Assembly, Resolve);
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library && _resolvedPath is not null ? NativeLibrary.Load(_resolvedPath) : 0;

    public static string? Utf8(nint text) => text == 0 ? null : Marshal.PtrToStringUTF8(text);
}
