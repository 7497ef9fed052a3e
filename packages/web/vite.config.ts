import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Threadline server (packages/server) serves both the JSON API (/api) and
// the OTLP receiver (/v1). In development the Vite dev server proxies both to it,
// so the UI always talks to its own origin.
const serverTarget = process.env.THREADLINE_SERVER ?? "http://127.0.0.1:4318";

const proxy = {
  "/api": { target: serverTarget, changeOrigin: false },
  "/v1": { target: serverTarget, changeOrigin: false },
};

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
  server: { proxy },
  preview: { proxy },
});
