import { Outlet } from "@tanstack/react-router";
import { AppHeader } from "../components/AppHeader.tsx";

export function RootLayout() {
  return (
    <div className="app">
      <AppHeader />
      <main className="main">
        <Outlet />
      </main>
    </div>
  );
}
