using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MetricsDailyRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MetricsDailyRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StoreId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DayStart = table.Column<long>(type: "INTEGER", nullable: false),
                    DayEnd = table.Column<long>(type: "INTEGER", nullable: false),
                    ServiceLevelSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    RolledGeneration = table.Column<int>(type: "INTEGER", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Hours = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricsDailyRollups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MetricsDailyRollups_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MetricsDailyRollups_StoreId_Day",
                table: "MetricsDailyRollups",
                columns: new[] { "StoreId", "Day" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MetricsDailyRollups");
        }
    }
}
