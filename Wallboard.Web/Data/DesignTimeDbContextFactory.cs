using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Wallboard.Web.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<WallboardDbContext>
{
    public WallboardDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WallboardDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
