// The azd "exists" pattern: on re-provision, read the image the app runs now, so `azd provision`
// keeps the deployed image instead of reverting to the placeholder (azd sets SERVICE_WEB_RESOURCE_EXISTS).
param exists bool
param name string

resource existingApp 'Microsoft.App/containerApps@2024-03-01' existing = if (exists) {
  name: name
}

output containers array = exists ? existingApp!.properties.template.containers : []
