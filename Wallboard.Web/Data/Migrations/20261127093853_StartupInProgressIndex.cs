using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class StartupInProgressIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_InProgress",
                table: "Calls");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_InProgress",
                table: "Calls",
                columns: new[] { "StoreId", "Department", "LastEventAt" },
                filter: "\"EndedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_InProgress",
                table: "Calls");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_InProgress",
                table: "Calls",
                columns: new[] { "StoreId", "LastEventAt" },
                filter: "\"EndedAt\" IS NULL");
        }
    }
}
